// Loaded by the classic Notebook on every page (linked into .jupyter/config/custom/ by
// scripts/setup.sh). Autosave off: the committed notebooks carry the outputs of a full run of the
// report command, and a run in quick mode (BACKPROP_QUICK=1) left open must not be saved over them
// behind the user's back. File → Save (Ctrl-S) still saves, when the user chooses to.
define(["base/js/namespace", "base/js/events"], function (Jupyter, events) {
  "use strict";
  function autosaveOff() {
    Jupyter.notebook.set_autosave_interval(0);
    // the save widget would still say "(autosaved)" for "no unsaved changes"
    Jupyter.save_widget.set_autosaved = function (dirty) {
      this.set_save_status(dirty ? "(unsaved changes)" : "(autosave off)");
    };
    Jupyter.save_widget.set_autosaved(Jupyter.notebook.dirty);
  }
  if (Jupyter.notebook && Jupyter.notebook._fully_loaded) autosaveOff();
  events.on("notebook_loaded.Notebook", autosaveOff);
});

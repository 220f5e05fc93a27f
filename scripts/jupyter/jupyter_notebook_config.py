# The project's Jupyter Notebook settings, read by the notebook command (scripts/notebook.sh)
# through JUPYTER_CONFIG_PATH (scripts/setup.sh). Settings the Notebook writes itself go to the
# project-local .jupyter/config, which takes precedence.
#
# custom/custom.js (linked into .jupyter/config/custom/ by scripts/setup.sh, the one place the
# classic Notebook looks for it) turns autosave off.

# a kernel left idle this long with no browser tab connected is shut down (each holds 250-400 MB)
c.MappingKernelManager.cull_idle_timeout = 30 * 60
c.MappingKernelManager.cull_interval = 60
c.MappingKernelManager.cull_connected = False

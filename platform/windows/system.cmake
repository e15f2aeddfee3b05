# Windows services the command line needs besides Task Scheduler. Empty until
# the command line is built for Windows.

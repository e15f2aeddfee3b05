# Windows services the command line needs besides Task Scheduler: the user,
# the state directory, omnicron.exe's own path and the machine's time zone.
target_sources(omnicron_windows_io PRIVATE ${CMAKE_CURRENT_LIST_DIR}/system.cc)

# Windows services the command line needs besides Task Scheduler: its UTF-16
# arguments, the user, the state directory, omnicron.exe's own path and the
# machine's time zone. shell32: CommandLineToArgvW.
target_sources(omnicron_windows_io PRIVATE ${CMAKE_CURRENT_LIST_DIR}/system.cc)
target_link_libraries(omnicron_windows_io PUBLIC shell32)

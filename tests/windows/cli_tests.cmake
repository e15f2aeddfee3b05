# omnicron.exe itself under Wine, end to end (cli_e2e.sh): validate, plan,
# sync, re-sync, update and remove of the examples against Wine's Task
# Scheduler in the throw-away prefix, and the task files it writes.
add_test(NAME windows.cli_e2e
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli_e2e.sh $<TARGET_FILE:omnicron> ${CMAKE_SOURCE_DIR})
set_tests_properties(windows.cli_e2e PROPERTIES
  FIXTURES_REQUIRED wine ENVIRONMENT "${wine_env}")

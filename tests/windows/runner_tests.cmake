# The runner, `omnicron.exe exec`, under Wine (runner_e2e.sh): it starts
# argv_probe.exe, which reports the argv, environment and working folder it
# got and can fail, sleep and start a child of its own on request.
add_executable(argv_probe argv_probe.cc)
# wmain: the probe reads its arguments as the C runtime hands them to a
# Unicode program, which is what a job's program sees.
target_link_options(argv_probe PRIVATE -municode)
omnicron_warnings(argv_probe)

add_test(NAME windows.runner_e2e
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/runner_e2e.sh
                 $<TARGET_FILE:omnicron> $<TARGET_FILE:argv_probe>)
set_tests_properties(windows.runner_e2e PROPERTIES
  FIXTURES_REQUIRED wine ENVIRONMENT "${wine_env}")

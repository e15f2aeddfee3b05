# Further crontab format tests.
target_sources(omnicron_unit_tests PRIVATE unit/posix/crontab_text_test.cc)

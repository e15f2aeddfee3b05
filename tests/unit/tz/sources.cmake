target_sources(omnicron_unit_tests PRIVATE
  unit/tz/posix_rule_test.cc
  unit/tz/zone_test.cc
)

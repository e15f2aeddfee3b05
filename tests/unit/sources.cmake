target_sources(omnicron_unit_tests PRIVATE
  unit/diagnostic_test.cc
  unit/iso_time_test.cc
  unit/plan_test.cc
)

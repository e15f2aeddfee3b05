# Tests of the Task Scheduler trigger compiler and simulator.
target_sources(omnicron_unit_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/triggers_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/trigger_simulator_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/compile_triggers_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/trigger_equivalence_test.cc
)

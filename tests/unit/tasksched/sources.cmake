# Tests of the Task Scheduler trigger compiler and simulator, command-line quoting, task XML
# and the plan for a namespace's folder of tasks.
target_sources(omnicron_unit_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/triggers_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/trigger_simulator_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/compile_triggers_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/trigger_equivalence_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/command_line_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/task_xml_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/task_xml_reader_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/decompile_task_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/task_xml_corpus_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/task_plan_test.cc
)

# Task Scheduler triggers and task XML: the pure, portable part of the Windows backend.
target_sources(omnicron_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/triggers.cc
  ${CMAKE_CURRENT_LIST_DIR}/trigger_simulator.cc
  ${CMAKE_CURRENT_LIST_DIR}/compile_triggers.cc
  ${CMAKE_CURRENT_LIST_DIR}/command_line.cc
  ${CMAKE_CURRENT_LIST_DIR}/task_xml.cc
  ${CMAKE_CURRENT_LIST_DIR}/task_xml_reader.cc
  ${CMAKE_CURRENT_LIST_DIR}/runner_line.cc
  ${CMAKE_CURRENT_LIST_DIR}/decompile_task.cc
  ${CMAKE_CURRENT_LIST_DIR}/task_plan.cc
)
# The reader parses task files with Expat. Private: no header of the core
# exposes Expat's types.
target_link_libraries(omnicron_core PRIVATE omnicron_expat)

# Task Scheduler triggers and task XML: the pure, portable part of the Windows backend.
target_sources(omnicron_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/triggers.cc
  ${CMAKE_CURRENT_LIST_DIR}/trigger_simulator.cc
  ${CMAKE_CURRENT_LIST_DIR}/compile_triggers.cc
  ${CMAKE_CURRENT_LIST_DIR}/command_line.cc
  ${CMAKE_CURRENT_LIST_DIR}/task_xml.cc
)

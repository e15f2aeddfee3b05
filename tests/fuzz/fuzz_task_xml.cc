// Fuzz target: the Task Scheduler XML reader and the decompiler behind
// `import --format task-xml`. Whatever the bytes (any encoding, broken XML,
// odd values), reading either gives a task or throws omnicron::Error, and a
// task read decompiles without failing.
#include <chrono>
#include <cstdint>
#include <string_view>

#include "error.h"
#include "tasksched/decompile_task.h"
#include "tasksched/task_xml_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace omnicron::tasksched;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ReadTask task;
  try {
    task = read_task_xml(bytes, "fuzz.xml");
  } catch (const omnicron::Error&) {
    return 0;  // not a task file: refused with a message, as it must be
  }
  DecompileOptions options;
  options.now = std::chrono::sys_seconds{std::chrono::seconds{1767225600}};  // 2026-01-01
  (void)decompile_task(task, options);
  return 0;
}

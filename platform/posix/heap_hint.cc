#include "posix/heap_hint.h"

#include <cstdint>
#include <cstdlib>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace omnicron::posix {

void expect_heap_use(std::size_t bytes) {
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE) && defined(M_TOP_PAD)
  constexpr std::size_t kHugePage = std::size_t{2} << 20;
  constexpr std::size_t kMost = std::size_t{1} << 30;
  if (bytes < 2 * kHugePage) return;
  if (bytes > kMost) bytes = kMost;
  // From now on the main heap grows by at least BYTES at a time, and keeps
  // that much when memory is freed, instead of growing by 128 KiB steps.
  if (mallopt(M_TOP_PAD, static_cast<int>(bytes)) != 1) return;
  // Setting the pad turns off glibc's moving mmap threshold, which would
  // otherwise rise to 32 MiB as big blocks are freed; set it there at once,
  // so big vectors come from the advised heap too instead of fresh mappings.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  // Make it grow now, with small blocks malloc serves from the heap (not
  // from mmap), so the new span can be advised before anything touches it.
  auto* const before = static_cast<char*>(sbrk(0));
  std::vector<void*> probes;
  probes.reserve(64);
  char* after = before;
  while (after == before && probes.size() < 64) {
    probes.push_back(std::malloc(32 << 10));
    after = static_cast<char*>(sbrk(0));
  }
  const auto begin = (reinterpret_cast<std::uintptr_t>(before) + kHugePage - 1) & ~(kHugePage - 1);
  const auto end = reinterpret_cast<std::uintptr_t>(after) & ~(kHugePage - 1);
  // The advice fails harmlessly (EINVAL) where transparent huge pages are
  // off; the heap then works as before.
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  for (void* probe : probes) std::free(probe);
#else
  (void)bytes;
#endif
}

}  // namespace omnicron::posix

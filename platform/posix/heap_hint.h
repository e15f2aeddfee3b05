#pragma once

#include <cstddef>

namespace omnicron::posix {

// Tells the C library that this process is about to allocate about BYTES in
// many small pieces (the tree and jobs of a big manifest) and keep them to
// the end, so the heap should grow once and be backed by transparent huge
// pages where the kernel offers them (Linux's "madvise" mode).
//
// A 4,000-job manifest touches about 30 MB of small allocations; with 4 KiB
// pages that is about 8,000 page faults, 12% of a sync. glibc does the same
// when started with GLIBC_TUNABLES=glibc.malloc.hugetlb=1, which a program
// cannot set for itself once running.
//
// Only a hint: on other C libraries, or when the kernel refuses, nothing
// changes. Never call it on a path that must start fast (the runner).
void expect_heap_use(std::size_t bytes);

}  // namespace omnicron::posix

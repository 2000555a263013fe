// prism/machine_memory.h - how much memory this process may use (the limit the training memory
// estimate is checked against).
#pragma once

#include <cstdint>

namespace prism {

/// Physical memory of the machine in bytes, or the cgroup's memory limit (v2 memory.max, v1
/// memory.limit_in_bytes) when that is smaller; 0 when unknown.
int64_t MachineMemoryBytes();

}  // namespace prism

// train/lr_schedule.h - the learning-rate schedules (one registry: cosine, step, constant).
// Internal.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "prism/train.h"

namespace prism::train {

/// The registry's names (train.schedule).
std::vector<std::string> ScheduleNames();

/// Learning rate of `epoch` (1-based) under config.train.schedule:
///   cosine   min_lr + (lr - min_lr) * (1 + cos(pi * (epoch - 1) / (epochs - 1))) / 2
///   step     lr * gamma^floor((epoch - 1) / step_size)
///   constant lr
/// prism::Error naming the known schedules for another name.
double LrAt(const TrainConfig& config, int64_t epoch);

}  // namespace prism::train

// train/lr_schedule.cpp - the learning-rate schedules (see lr_schedule.h).
#include "train/lr_schedule.h"

#include <cmath>
#include <utility>

#include "prism/error.h"

namespace prism::train {

namespace {

using Schedule = double (*)(const TrainConfig::Train& t, int64_t epoch);

const std::vector<std::pair<std::string, Schedule>>& Registry() {
  static const std::vector<std::pair<std::string, Schedule>> kTable = {
      {"cosine",
       [](const TrainConfig::Train& t, int64_t epoch) {
         double frac = t.epochs > 1 ? static_cast<double>(epoch - 1) / (t.epochs - 1) : 0.0;
         return t.min_lr + 0.5 * (t.lr - t.min_lr) * (1 + std::cos(M_PI * frac));
       }},
      {"step",
       [](const TrainConfig::Train& t, int64_t epoch) {
         return t.lr * std::pow(t.gamma, static_cast<double>((epoch - 1) / t.step_size));
       }},
      {"constant", [](const TrainConfig::Train& t, int64_t) { return t.lr; }},
  };
  return kTable;
}

}  // namespace

std::vector<std::string> ScheduleNames() {
  std::vector<std::string> names;
  for (const auto& e : Registry()) names.push_back(e.first);
  return names;
}

double LrAt(const TrainConfig& c, int64_t epoch) {
  for (const auto& [name, fn] : Registry())
    if (name == c.train.schedule) return fn(c.train, epoch);
  Fatal("unknown train.schedule '", c.train.schedule, "'");
}

}  // namespace prism::train

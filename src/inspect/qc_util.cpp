#include "inspect/qc_util.h"

#include <cmath>
#include <cstdio>

namespace prism::qc {

int EpochOf(const RunFolder& run, size_t i) { return static_cast<int>(run.log[i].epoch); }

std::vector<double> Series(const RunFolder& run,
                           const std::function<double(const EpochRecord&)>& field) {
  std::vector<double> out;
  out.reserve(run.log.size());
  for (const EpochRecord& e : run.log) out.push_back(field(e));
  return out;
}

std::vector<double> TrainAuprSeries(const RunFolder& run) {
  return Series(run, [](const EpochRecord& e) { return e.TrainAupr(); });
}

std::vector<double> ValAuprSeries(const RunFolder& run) {
  return Series(run, [](const EpochRecord& e) { return e.ValAupr(); });
}

bool HasVal(const RunFolder& run, size_t i) { return std::isfinite(run.log[i].ValAupr()); }

std::vector<double> LossDeltas(const RunFolder& run, std::vector<bool>* used_task,
                               std::vector<double>* base) {
  size_t n = run.log.size();
  std::vector<double> total = Series(run, [](const EpochRecord& e) { return e.Loss("total"); });
  std::vector<double> task = Series(run, [](const EpochRecord& e) { return e.Loss("task"); });
  std::vector<double> d(n, NAN);
  used_task->assign(n, false);
  base->assign(n, NAN);
  for (size_t i = 1; i < n; ++i) {
    const auto& w0 = run.log[i - 1].weights;
    const auto& w1 = run.log[i].weights;
    bool changed = !w0.empty() && !w1.empty() && w0 != w1;
    if (changed && std::isfinite(task[i]) && std::isfinite(task[i - 1])) {
      d[i] = task[i] - task[i - 1];
      (*base)[i] = task[i - 1];
      (*used_task)[i] = true;
    } else {
      d[i] = total[i] - total[i - 1];
      (*base)[i] = total[i - 1];
    }
  }
  return d;
}

std::string Fmt(double v, int digits) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string FmtG(double v) {
  if (!std::isfinite(v)) return Fmt(v);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string Pct(double fraction, int digits) {
  if (!std::isfinite(fraction)) return Fmt(fraction);
  return Fmt(fraction * 100.0, digits) + "%";
}

std::string JoinEpochs(const std::vector<int>& epochs) {
  // Runs of three or more consecutive epochs are written as ranges: "1-7", "2, 4-6".
  std::string s;
  for (size_t i = 0; i < epochs.size();) {
    size_t j = i;
    while (j + 1 < epochs.size() && epochs[j + 1] == epochs[j] + 1) ++j;
    if (!s.empty()) s += ", ";
    if (j - i >= 2) s += std::to_string(epochs[i]) + "-" + std::to_string(epochs[j]);
    else if (j == i + 1) s += std::to_string(epochs[i]) + ", " + std::to_string(epochs[j]);
    else s += std::to_string(epochs[i]);
    i = j + 1;
  }
  return s;
}

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string s;
  for (size_t i = 0; i < parts.size(); ++i) s += (i ? sep : "") + parts[i];
  return s;
}

QcFinding Make(const char* rule, const char* code, Severity sev, std::string en, std::string zh,
               std::vector<int> epochs, Json values) {
  QcFinding f;
  f.rule = rule;
  f.code = code;
  f.severity = sev;
  f.message_en = std::move(en);
  f.message_zh = std::move(zh);
  f.epochs = std::move(epochs);
  f.values = std::move(values);
  return f;
}

bool TreeModel(const RunFolder& run) {
  const Json& c = run.record.config;
  return c.is_object() && c.contains("model") && c["model"].is_object() &&
         c["model"].contains("kind") && c["model"]["kind"] == "xgboost";
}

QcFinding NotApplicableToTrees(const char* rule, const std::string& why_en,
                               const std::string& why_zh) {
  return Make(rule, "not_applicable", Severity::kInfo,
              "Not applicable to model.kind = \"xgboost\": " + why_en,
              "不适用于model.kind = \"xgboost\"：" + why_zh, {}, {{"model_kind", "xgboost"}});
}

const std::vector<std::string>& ComponentNames() {
  static const std::vector<std::string> k = {"contrastive", "prototype", "orthogonality",
                                             "adversarial"};
  return k;
}

std::string ComponentZh(const std::string& name) {
  if (name == "contrastive") return "对比学习损失";
  if (name == "prototype") return "原型网络损失";
  if (name == "orthogonality") return "正交损失";
  if (name == "adversarial") return "域对抗损失";
  if (name == "task") return "主任务损失";
  return name;
}

}  // namespace prism::qc

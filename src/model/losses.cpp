// model/losses.cpp - loss components and the loss registry (see losses.h).
#include "model/losses.h"

#include <algorithm>
#include <functional>
#include <map>

#include "prism/error.h"

namespace prism::model {

namespace F = torch::nn::functional;

torch::Tensor BceLoss(const torch::Tensor& logit, const torch::Tensor& label,
                      const torch::Tensor& weight) {
  auto y = label.to(logit.dtype());
  if (!weight.defined()) return F::binary_cross_entropy_with_logits(logit, y);
  auto per = F::binary_cross_entropy_with_logits(
      logit, y, F::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kNone));
  auto w = weight.to(logit.dtype());
  return (w * per).sum() / w.sum().clamp_min(1e-12);
}

torch::Tensor WeightedBceLoss(const torch::Tensor& logit, const torch::Tensor& label,
                              const torch::Tensor& class_weight,
                              const torch::Tensor& sample_weight) {
  auto y = label.to(logit.dtype());
  auto w = torch::where(y > 0.5, class_weight[1], class_weight[0]).to(logit.dtype());
  if (sample_weight.defined()) w = w * sample_weight.to(logit.dtype());
  return BceLoss(logit, y, w);
}

torch::Tensor SupConLoss(const torch::Tensor& z, const torch::Tensor& label,
                         const torch::Tensor& cell, double tau, const torch::Tensor& weight) {
  const int64_t n = z.size(0);
  auto zn = F::normalize(z, F::NormalizeFuncOptions().dim(1).eps(1e-8));
  auto sim = torch::matmul(zn, zn.t()) / tau;                                 // [B, B]
  auto eye = torch::eye(n, torch::TensorOptions().dtype(torch::kBool));
  auto not_self = eye.logical_not();
  // log softmax over a != i (each a counted w_a times when weighted)
  auto logits = sim.masked_fill(eye, -1e9);
  auto w = weight.defined() ? weight.to(z.dtype()).view({-1}) : torch::ones({n}, z.options());
  auto log_prob = logits - torch::logsumexp(logits + w.log().unsqueeze(0), 1, /*keepdim=*/true);
  auto lab = label.view({-1});
  auto pos = (lab.unsqueeze(0) == lab.unsqueeze(1)) &
             (cell.unsqueeze(0) != cell.unsqueeze(1)) & not_self;              // [B, B]
  auto posf = pos.to(z.dtype()) * w.unsqueeze(0);                             // w_p
  auto npos = posf.sum(1);                                                    // [B]
  auto has = pos.any(1);
  if (!has.any().item<bool>()) return (z * 0).sum();
  auto per_anchor = -(log_prob * posf).sum(1) / npos.clamp_min(1e-12);
  auto wa = w.masked_select(has);
  return (per_anchor.masked_select(has) * wa).sum() / wa.sum();
}

torch::Tensor OrthogonalityLoss(const torch::Tensor& z_i, const torch::Tensor& z_e) {
  const double n = static_cast<double>(z_i.size(0));
  auto standardise = [](const torch::Tensor& z) {
    auto mean = z.mean(0, true);
    auto sd = (z - mean).pow(2).mean(0, true).add(1e-5).sqrt();
    return (z - mean) / sd;
  };
  auto c = torch::matmul(standardise(z_i).t(), standardise(z_e)) / n;  // [dI, dE]
  return c.pow(2).sum() / static_cast<double>(z_i.size(1) * z_e.size(1));
}

torch::Tensor PrototypeLoss(const torch::Tensor& log_assign, const torch::Tensor& target) {
  return F::nll_loss(log_assign, target);
}

torch::Tensor AdversarialLoss(const torch::Tensor& logits, const torch::Tensor& cell) {
  return F::cross_entropy(logits, cell);
}

// ---- AdaptiveIMMAX ------------------------------------------------------------------------

std::vector<double> AdaptiveImmaxLoss::weights() const {
  double mean = 0.5 * (difficulty_[0] + difficulty_[1]);
  std::vector<double> w(2);
  for (int c = 0; c < 2; ++c)
    w[c] = std::clamp(mean > 0 ? difficulty_[c] / mean : 1.0, 0.25, 4.0);
  return w;
}

torch::Tensor AdaptiveImmaxLoss::Compute(const LossInput& in) {
  const auto& logit = in.out.logit;
  auto y = in.batch.label.to(logit.dtype());
  {
    torch::NoGradGuard ng;
    auto p = torch::sigmoid(logit.detach());
    auto p_true = torch::where(y > 0.5, p, 1 - p);
    for (int c = 0; c < 2; ++c) {
      auto m = (y > 0.5) == (c == 1);
      if (m.any().item<bool>()) {
        double d = (1 - p_true.masked_select(m)).mean().item<double>();
        difficulty_[c] = momentum_ * difficulty_[c] + (1 - momentum_) * d;
      }
    }
  }
  auto w = weights();
  return WeightedBceLoss(logit, y, torch::tensor({w[0], w[1]}, logit.options()),
                         in.batch.weight);
}

// ---- registry ----------------------------------------------------------------------------

namespace {

class BceComponent : public Loss {
 public:
  std::string name() const override { return "task"; }
  torch::Tensor Compute(const LossInput& in) override {
    return BceLoss(in.out.logit, in.batch.label, in.batch.weight);
  }
};

class PrototypeComponent : public Loss {
 public:
  std::string name() const override { return "prototype"; }
  torch::Tensor Compute(const LossInput& in) override {
    PRISM_CHECK(in.out.log_assign.defined(), "prototype loss needs group assignments");
    return PrototypeLoss(in.out.log_assign, in.batch.group_cell);
  }
};

class ContrastiveComponent : public Loss {
 public:
  explicit ContrastiveComponent(double tau) : tau_(tau) {}
  std::string name() const override { return "contrastive"; }
  torch::Tensor Compute(const LossInput& in) override {
    return SupConLoss(in.out.z_i, in.batch.label, in.batch.cell, tau_, in.batch.weight);
  }

 private:
  double tau_;
};

class OrthogonalityComponent : public Loss {
 public:
  std::string name() const override { return "orthogonality"; }
  torch::Tensor Compute(const LossInput& in) override {
    return OrthogonalityLoss(in.out.z_i, in.out.z_e);
  }
};

class AdversarialComponent : public Loss {
 public:
  std::string name() const override { return "adversarial"; }
  torch::Tensor Compute(const LossInput& in) override {
    PRISM_CHECK(in.out.disc_logits.defined(), "adversarial loss needs discriminator logits");
    return AdversarialLoss(in.out.disc_logits, in.batch.cell);
  }
};

using Factory = std::function<std::unique_ptr<Loss>(const LossOptions&)>;

const std::vector<std::pair<std::string, Factory>>& Registry() {
  static const std::vector<std::pair<std::string, Factory>> kTable = {
      {"bce", [](const LossOptions&) { return std::make_unique<BceComponent>(); }},
      {"adaptive_immax",
       [](const LossOptions& o) { return std::make_unique<AdaptiveImmaxLoss>(o.immax_momentum); }},
      {"prototype", [](const LossOptions&) { return std::make_unique<PrototypeComponent>(); }},
      {"contrastive",
       [](const LossOptions& o) {
         return std::make_unique<ContrastiveComponent>(o.contrastive_temperature);
       }},
      {"orthogonality",
       [](const LossOptions&) { return std::make_unique<OrthogonalityComponent>(); }},
      {"adversarial", [](const LossOptions&) { return std::make_unique<AdversarialComponent>(); }},
  };
  return kTable;
}

}  // namespace

const std::vector<std::string>& LossNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> v;
    for (const auto& e : Registry()) v.push_back(e.first);
    return v;
  }();
  return kNames;
}

std::unique_ptr<Loss> CreateLoss(const std::string& name, const LossOptions& options) {
  for (const auto& e : Registry())
    if (e.first == name) return e.second(options);
  std::string known;
  for (const auto& n : LossNames()) known += (known.empty() ? "" : ", ") + n;
  Fatal("unknown loss '", name, "' (known: ", known, ")");
}

}  // namespace prism::model

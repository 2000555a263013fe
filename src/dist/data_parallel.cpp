#include "dist/data_parallel.h"

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <cstdlib>

#include "prism/error.h"
#include "prism/log.h"

namespace prism {

struct DistributedContext::Group {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroup> pg;
};

std::pair<std::string, uint16_t> ParseMasterAddress(const std::string& master) {
  const size_t colon = master.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == master.size())
    Fatal("master address '", master, "': expected ADDR:PORT, e.g. 10.0.0.1:29500");
  std::string host = master.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const std::string port_text = master.substr(colon + 1);
  char* end = nullptr;
  const long port = std::strtol(port_text.c_str(), &end, 10);
  if (*end != 0 || port < 1 || port > 65535)
    Fatal("master address '", master, "': port must be a number in 1..65535");
  return {host, static_cast<uint16_t>(port)};
}

std::pair<int64_t, int64_t> ShardRange(int64_t n, int rank, int world) {
  PRISM_CHECK(world > 0 && rank >= 0 && rank < world && n >= 0);
  const int64_t base = n / world, extra = n % world;
  const int64_t begin = rank * base + std::min<int64_t>(rank, extra);
  return {begin, begin + base + (rank < extra ? 1 : 0)};
}

std::vector<int64_t> ShardIndices(int64_t n, int rank, int world) {
  const auto [begin, end] = ShardRange(n, rank, world);
  std::vector<int64_t> idx(end - begin);
  for (int64_t i = begin; i < end; ++i) idx[i - begin] = i;
  return idx;
}

DistributedContext::DistributedContext(const DistributedOptions& options) : options_(options) {
  if (options_.world_size < 1) Fatal("--world-size must be at least 1, got ", options_.world_size);
  if (options_.rank < 0 || options_.rank >= options_.world_size)
    Fatal("--rank must lie in 0..", options_.world_size - 1, ", got ", options_.rank);
  if (options_.world_size == 1) return;
  const auto [host, port] = ParseMasterAddress(options_.master);
  std::string backend = options_.backend;
  if (backend == "auto") {
#ifdef USE_C10D_NCCL
    backend = torch::cuda::is_available() ? "nccl" : "gloo";
#else
    backend = "gloo";
#endif
  }
  if (backend != "gloo" && backend != "nccl")
    Fatal("distributed backend '", backend, "': expected auto, gloo or nccl");
#ifndef USE_C10D_NCCL
  if (backend == "nccl") Fatal("distributed backend nccl: this LibTorch was built without NCCL");
#endif
  group_ = std::make_unique<Group>();
  try {
    c10d::TCPStoreOptions so;
    so.port = port;
    so.isServer = options_.rank == 0;
    so.numWorkers = static_cast<size_t>(options_.world_size);
    so.waitWorkers = true;
    so.timeout = options_.timeout;
    group_->store = c10::make_intrusive<c10d::TCPStore>(host, so);
    if (backend == "gloo") {
      auto go = c10d::ProcessGroupGloo::Options::create(options_.timeout);
      if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME"); ifname && *ifname) {
        go->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(ifname));
      } else if (host == "127.0.0.1" || host == "localhost" || host == "::1") {
        go->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(host));
      } else {
        go->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
      }
      group_->pg = c10::make_intrusive<c10d::ProcessGroupGloo>(
          group_->store, options_.rank, options_.world_size, go);
    } else {
#ifdef USE_C10D_NCCL
      group_->pg = c10::make_intrusive<c10d::ProcessGroupNCCL>(group_->store, options_.rank,
                                                               options_.world_size);
#endif
    }
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    Fatal("joining the process group at ", options_.master, " as rank ", options_.rank, " of ",
          options_.world_size, " failed: ", e.what());
  }
  backend_ = backend;
  Log::Debug("distributed: rank " + std::to_string(options_.rank) + "/" +
             std::to_string(options_.world_size) + " joined " + options_.master + " (" +
             backend_ + ")");
}

DistributedContext::~DistributedContext() = default;

void DistributedContext::AllReduceSum(torch::Tensor& tensor) {
  if (!group_) return;
  std::vector<torch::Tensor> ts{tensor};
  group_->pg->allreduce(ts)->wait();
}

void DistributedContext::AllReduceGradients(torch::nn::Module& module, double weight) {
  if (!group_) {  // one process: the "sum" over ranks is this rank's scaled gradient
    if (weight >= 0 && weight != 1.0) {
      torch::NoGradGuard no_grad;
      for (auto& p : module.parameters())
        if (p.grad().defined()) p.mutable_grad().mul_(weight);
    }
    return;
  }
  std::vector<torch::Tensor> params;
  for (const auto& p : module.parameters())
    if (p.requires_grad()) params.push_back(p);
  if (params.empty()) return;
  // One flat buffer: a single collective instead of one per parameter.
  std::vector<torch::Tensor> flat;
  flat.reserve(params.size());
  for (const auto& p : params)
    flat.push_back(p.grad().defined() ? p.grad().reshape({-1}) : torch::zeros({p.numel()},
                                                                              p.options()));
  // One flag per parameter after the gradients: how many ranks have a gradient for it. A
  // parameter no rank has a gradient for keeps none (as in one process: the optimiser then
  // leaves it alone, weight decay included).
  auto has_grad = torch::empty({static_cast<int64_t>(params.size())}, params.front().options());
  for (size_t i = 0; i < params.size(); ++i) has_grad[i] = params[i].grad().defined() ? 1.0 : 0.0;
  const double scale = weight < 0 ? 1.0 / options_.world_size : weight;
  torch::Tensor buffer = torch::cat(flat).mul_(scale);
  buffer = torch::cat({buffer, has_grad});
  AllReduceSum(buffer);
  const int64_t flags = buffer.numel() - static_cast<int64_t>(params.size());
  int64_t offset = 0;
  for (size_t i = 0; i < params.size(); ++i) {
    auto& p = params[i];
    const int64_t n = p.numel();
    torch::Tensor slice = buffer.narrow(0, offset, n).view_as(p);
    offset += n;
    if (buffer[flags + static_cast<int64_t>(i)].item<double>() == 0) continue;  // nobody has one
    if (p.grad().defined()) {
      p.mutable_grad().copy_(slice);
    } else {
      p.mutable_grad() = slice.clone();
    }
  }
}

void DistributedContext::BroadcastParameters(torch::nn::Module& module, int root) {
  if (!group_) return;
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> tensors;
  for (const auto& p : module.parameters()) tensors.push_back(p);
  for (const auto& b : module.buffers()) tensors.push_back(b);
  for (auto& t : tensors) {
    std::vector<torch::Tensor> one{t.is_contiguous() ? t : t.contiguous()};
    c10d::BroadcastOptions bo;
    bo.rootRank = root;
    group_->pg->broadcast(one, bo)->wait();
    if (!t.is_contiguous()) t.copy_(one[0]);
  }
}

void DistributedContext::Barrier() {
  if (!group_) return;
  group_->pg->barrier()->wait();
}

}  // namespace prism

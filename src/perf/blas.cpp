// BLAS core-type choice (CPU detection, precedence, re-exec) and reporting of the mapped BLAS.
// Deliberately free of LibTorch: it runs before anything else in main().
#include "prism/blas.h"

#include <dlfcn.h>
#include <link.h>
#include <strings.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define PRISM_X86 1
#endif

#include "prism/compute_threads.h"
#include "prism/log.h"

namespace prism {
namespace {

constexpr const char* kGuardEnv = "PRISM_BLAS_REEXEC";        // set across the one re-exec
constexpr const char* kOrigEnv = "PRISM_BLAS_ORIG_CORETYPE";  // user's OPENBLAS_CORETYPE or "-"
constexpr const char* kOmpSetEnv = "PRISM_OMP_WAIT_SET";      // prism chose OMP_WAIT_POLICY

enum class Need { kBase, kAvx, kAvx2, kAvx512 };
struct KnownCore {
  const char* name;
  Need need;
};
// OpenBLAS DYNAMIC_ARCH x86-64 core names (the ones Debian's build accepts) and what they need.
constexpr KnownCore kKnownCores[] = {
    {"Prescott", Need::kBase}, {"Core2", Need::kBase},         {"Penryn", Need::kBase},
    {"Dunnington", Need::kBase}, {"Nehalem", Need::kBase},     {"Atom", Need::kBase},
    {"Opteron", Need::kBase},  {"Barcelona", Need::kBase},     {"Bobcat", Need::kBase},
    {"Sandybridge", Need::kAvx}, {"Bulldozer", Need::kAvx},    {"Piledriver", Need::kAvx},
    {"Steamroller", Need::kAvx}, {"Haswell", Need::kAvx2},     {"Zen", Need::kAvx2},
    {"Excavator", Need::kAvx2},  {"SkylakeX", Need::kAvx512},
};
// Names OpenBLAS may report from its own detection that are not offered as choices here
// (they need more than the flags we check, e.g. AVX512-BF16), with their kernel level.
constexpr KnownCore kDetectOnlyCores[] = {
    {"Cooperlake", Need::kAvx512}, {"SapphireRapids", Need::kAvx512}, {"Zen4", Need::kAvx512},
};

// Kernel level of an OpenBLAS core name (0 base, 1 AVX, 2 AVX2, 3 AVX-512); -1 when unknown.
int CoreLevel(const std::string& name) {
  for (const auto& c : kKnownCores)
    if (strcasecmp(c.name, name.c_str()) == 0) return static_cast<int>(c.need);
  for (const auto& c : kDetectOnlyCores)
    if (strcasecmp(c.name, name.c_str()) == 0) return static_cast<int>(c.need);
  return -1;
}

const KnownCore* FindCore(const std::string& name) {
  for (const auto& c : kKnownCores)
    if (strcasecmp(c.name, name.c_str()) == 0) return &c;
  return nullptr;
}

bool Meets(const CpuFeatures& cpu, Need need) {
  switch (need) {
    case Need::kBase: return true;
    case Need::kAvx: return cpu.avx;
    case Need::kAvx2: return cpu.avx2 && cpu.fma;
    case Need::kAvx512: return cpu.avx512f && cpu.avx512bw && cpu.avx512vl && cpu.avx512dq;
  }
  return false;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

// State recorded by EnsureBlasCoreType for BlasInfo().
struct State {
  bool ensured = false;
  BlasChoice choice;
  std::string exec_error;
  std::string omp_wait_source;  ///< who chose OMP_WAIT_POLICY: "prism default" or the user
};
State& GlobalState() {
  static State s;
  return s;
}

int CollectBlas(struct dl_phdr_info* info, size_t, void* data) {
  auto* out = static_cast<std::vector<std::string>*>(data);
  if (!info->dlpi_name || !*info->dlpi_name) return 0;
  std::string name = info->dlpi_name;
  std::string base = name.substr(name.rfind('/') + 1);
  if (Lower(base).find("blas") == std::string::npos) return 0;
  char real[4096];
  if (realpath(name.c_str(), real)) name = real;
  out->push_back(name);
  return 0;
}

template <typename Fn>
Fn LookUp(const char* symbol) {
  return reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, symbol));
}

}  // namespace

std::vector<std::string> CpuFeatures::Names() const {
  std::vector<std::string> names;
  if (sse3) names.push_back("sse3");
  if (avx) names.push_back("avx");
  if (avx2) names.push_back("avx2");
  if (fma) names.push_back("fma");
  if (avx512f) names.push_back("avx512f");
  if (avx512bw) names.push_back("avx512bw");
  if (avx512vl) names.push_back("avx512vl");
  if (avx512dq) names.push_back("avx512dq");
  return names;
}

CpuFeatures DetectCpuFeatures() {
  CpuFeatures f;
#ifdef PRISM_X86
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(0, &a, &b, &c, &d)) return f;
  const unsigned max_leaf = a;
  char vendor[13];
  std::memcpy(vendor, &b, 4);
  std::memcpy(vendor + 4, &d, 4);
  std::memcpy(vendor + 8, &c, 4);
  vendor[12] = 0;
  f.vendor = vendor;
  __get_cpuid(1, &a, &b, &c, &d);
  f.sse3 = c & bit_SSE3;
  const bool osxsave = c & bit_OSXSAVE;
  const bool cpu_avx = c & bit_AVX;
  const bool cpu_fma = c & bit_FMA;
  unsigned long long xcr0 = 0;
  if (osxsave) {
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    xcr0 = (static_cast<unsigned long long>(hi) << 32) | lo;
  }
  const bool os_avx = (xcr0 & 0x6) == 0x6;        // XMM + YMM state
  const bool os_avx512 = (xcr0 & 0xe6) == 0xe6;   // + opmask, ZMM_Hi256, Hi16_ZMM
  f.avx = cpu_avx && os_avx;
  f.fma = cpu_fma && os_avx;
  if (max_leaf >= 7) {
    __get_cpuid_count(7, 0, &a, &b, &c, &d);
    f.avx2 = (b & bit_AVX2) && os_avx;
    f.avx512f = (b & (1u << 16)) && os_avx512;
    f.avx512dq = (b & (1u << 17)) && os_avx512;
    f.avx512bw = (b & (1u << 30)) && os_avx512;
    f.avx512vl = (b & (1u << 31)) && os_avx512;
  }
#endif
  return f;
}

std::string CoreTypeForCpu(const CpuFeatures& cpu) {
  if (Meets(cpu, Need::kAvx512)) return "SkylakeX";
  if (Meets(cpu, Need::kAvx2)) return "Haswell";
  if (Meets(cpu, Need::kAvx)) return "Sandybridge";
  return "";
}

bool CpuSupportsCoreType(const CpuFeatures& cpu, const std::string& core_type) {
  const KnownCore* k = FindCore(core_type);
  return k && Meets(cpu, k->need);
}

const char* BlasChoiceSourceName(BlasChoiceSource source) {
  switch (source) {
    case BlasChoiceSource::kAuto: return "auto";
    case BlasChoiceSource::kCli: return "cli";
    case BlasChoiceSource::kPrismEnv: return "PRISM_BLAS_CORETYPE";
    case BlasChoiceSource::kBlasEnv: return "OPENBLAS_CORETYPE";
    case BlasChoiceSource::kNone: return "none";
    case BlasChoiceSource::kLibraryDetect: return "openblas-detect";
  }
  return "?";
}

BlasChoice ChooseBlasCoreType(const CpuFeatures& cpu, const BlasRequest& request,
                              const std::string& library_detected) {
  BlasChoice choice;
  const std::pair<const std::string*, BlasChoiceSource> sources[] = {
      {&request.cli, BlasChoiceSource::kCli},
      {&request.prism_env, BlasChoiceSource::kPrismEnv},
      {&request.openblas_env, BlasChoiceSource::kBlasEnv},
  };
  for (const auto& [value, source] : sources) {
    if (value->empty()) continue;
    const std::string v = Lower(*value);
    if (v == "auto" && source != BlasChoiceSource::kBlasEnv) break;  // detection below
    if (v == "none" && source != BlasChoiceSource::kBlasEnv) {
      choice.core_type.clear();
      choice.source = BlasChoiceSource::kNone;
      return choice;
    }
    const KnownCore* k = FindCore(*value);
    if (!k) {
      choice.warning += std::string(BlasChoiceSourceName(source)) + ": unknown BLAS core type '" +
                        *value + "' (expected auto, none, Haswell, SkylakeX, ...); ";
      continue;
    }
    if (!Meets(cpu, k->need)) {
      choice.warning += std::string(BlasChoiceSourceName(source)) + ": this CPU cannot run " +
                        k->name + " kernels; ";
      continue;
    }
    choice.core_type = k->name;
    choice.source = source;
    return choice;
  }
  choice.core_type = CoreTypeForCpu(cpu);
  choice.source = choice.core_type.empty() ? BlasChoiceSource::kNone : BlasChoiceSource::kAuto;
  if (!choice.warning.empty()) choice.warning += "using detection";
  // OpenBLAS's own detection is as good (same kernel level, maybe a newer name such as
  // Cooperlake): keep it, no re-exec.
  if (choice.source == BlasChoiceSource::kAuto && !library_detected.empty() &&
      CoreLevel(library_detected) >= CoreLevel(choice.core_type)) {
    choice.core_type.clear();
    choice.source = BlasChoiceSource::kLibraryDetect;
  }
  return choice;
}

std::string BlasCoreTypeFromArgs(int argc, char** argv) {
  const std::string flag = "--blas-coretype";
  std::string value;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--") break;
    if (a == flag && i + 1 < argc) value = argv[++i];
    else if (a.rfind(flag + "=", 0) == 0) value = a.substr(flag.size() + 1);
  }
  return value;
}

void EnsureBlasCoreType(int argc, char** argv) {
  State& st = GlobalState();
  st.ensured = true;
  const bool reexeced = std::getenv(kGuardEnv) != nullptr;
  // OpenMP wait policy (read by libgomp when it loads, like OPENBLAS_CORETYPE): unless the user
  // set OMP_WAIT_POLICY, prism runs with PASSIVE. LibTorch's OpenMP workers otherwise spin after
  // every parallel region while OpenBLAS's own threads (or another process) wait for the core;
  // on a 2-core machine with other load, 2-thread training of the default preset ran ~7x slower
  // than with passive waiting (experiments/omp-wait-policy.md).
  bool need_omp_exec = false;
  if (reexeced) {
    st.omp_wait_source = std::getenv(kOmpSetEnv) ? "prism default" : "OMP_WAIT_POLICY";
    unsetenv(kOmpSetEnv);
  } else if (std::getenv("OMP_WAIT_POLICY") == nullptr) {
    setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    setenv(kOmpSetEnv, "1", 1);
    st.omp_wait_source = "prism default";
    need_omp_exec = true;
  } else {
    st.omp_wait_source = "OMP_WAIT_POLICY";
  }
  BlasRequest req;
  req.cli = BlasCoreTypeFromArgs(argc, argv);
  req.prism_env = Env("PRISM_BLAS_CORETYPE");
  if (reexeced) {
    const std::string orig = Env(kOrigEnv);
    req.openblas_env = orig == "-" ? "" : orig;
  } else {
    req.openblas_env = Env("OPENBLAS_CORETYPE");
  }
  // What OpenBLAS (already loaded and initialised) picked by itself; across the re-exec the
  // first process's answer travels in the guard variable.
  std::string detected;
  if (reexeced) {
    detected = Env(kGuardEnv);
  } else if (req.openblas_env.empty()) {
    using StrFn = char* (*)();
    if (auto corename = reinterpret_cast<StrFn>(dlsym(RTLD_DEFAULT, "openblas_get_corename")))
      detected = corename();
  }
  st.choice = ChooseBlasCoreType(DetectCpuFeatures(), req, detected);
  const std::string current = Env("OPENBLAS_CORETYPE");
  const bool matches = st.choice.source == BlasChoiceSource::kNone ||
                       st.choice.source == BlasChoiceSource::kLibraryDetect ||
                       strcasecmp(current.c_str(), st.choice.core_type.c_str()) == 0;
  if (reexeced) {
    // Second pass: restore a clean environment for child processes.
    unsetenv(kGuardEnv);
    unsetenv(kOrigEnv);
    if (!matches) st.exec_error = "OPENBLAS_CORETYPE was changed again after the re-exec";
    return;
  }
  if (matches && !need_omp_exec) return;
  const std::string orig = std::getenv("OPENBLAS_CORETYPE") ? current : std::string("-");
  setenv(kOrigEnv, orig.c_str(), 1);
  setenv(kGuardEnv, detected.empty() ? "-" : detected.c_str(), 1);
  if (!matches) setenv("OPENBLAS_CORETYPE", st.choice.core_type.c_str(), 1);
  execv("/proc/self/exe", argv);
  // Only reached when exec failed: carry on with the BLAS and OpenMP as loaded.
  st.exec_error = std::string("re-exec failed: ") + std::strerror(errno);
  st.omp_wait_source = "not applied (re-exec failed)";
  unsetenv(kGuardEnv);
  unsetenv(kOrigEnv);
  unsetenv(kOmpSetEnv);
}

std::string BlasVendorOf(const std::string& path) {
  const std::string lower = Lower(path);
  if (lower.empty()) return "none";
  if (lower.find("openblas") != std::string::npos) return "openblas";
  if (lower.find("mkl") != std::string::npos) return "mkl";
  if (lower.find("blis") != std::string::npos) return "blis";
  if (lower.find("atlas") != std::string::npos) return "atlas";
  if (lower.find("/blas/libblas") != std::string::npos) return "reference";
  return "other";
}

Json BlasInfo() {
  Json j;
  std::vector<std::string> libs;
  dl_iterate_phdr(CollectBlas, &libs);
  // The library that provides sgemm_ in the global scope is the one LibTorch's calls bind to.
  std::string library;
  Dl_info dl{};
  if (void* sym = dlsym(RTLD_DEFAULT, "sgemm_"); sym && dladdr(sym, &dl) && dl.dli_fname) {
    char real[4096];
    library = realpath(dl.dli_fname, real) ? std::string(real) : std::string(dl.dli_fname);
  }
  const std::string vendor = BlasVendorOf(library);
  j["library"] = library;
  j["libraries"] = libs;
  j["vendor"] = vendor;
  using StrFn = char* (*)();
  using IntFn = int (*)();
  j["core_type"] = nullptr;
  if (vendor == "openblas") {
    if (auto corename = LookUp<StrFn>("openblas_get_corename")) j["core_type"] = corename();
    if (auto config = LookUp<StrFn>("openblas_get_config")) j["config"] = config();
    if (auto threads = LookUp<IntFn>("openblas_get_num_threads")) j["threads"] = threads();
  }
  const State& st = GlobalState();
  if (st.ensured) {
    j["requested_core_type"] = st.choice.core_type;
    j["source"] = BlasChoiceSourceName(st.choice.source);
    j["warning"] = BlasChoiceWarning();
  } else {
    j["requested_core_type"] = Env("OPENBLAS_CORETYPE");
    j["source"] = "unmanaged";  // EnsureBlasCoreType was not called in this program
    j["warning"] = "";
  }
  j["omp_wait_policy"] = Env("OMP_WAIT_POLICY");
  j["omp_wait_policy_source"] = st.ensured ? st.omp_wait_source : std::string("unmanaged");
  const CpuFeatures cpu = DetectCpuFeatures();
  j["cpu_flags"] = cpu.Names();
  j["cpu_vendor"] = cpu.vendor;
  return j;
}

std::string BlasChoiceWarning() {
  const State& st = GlobalState();
  if (!st.ensured) return "";
  std::string warning = st.choice.warning;
  if (!st.exec_error.empty()) warning += (warning.empty() ? "" : "; ") + st.exec_error;
  return warning;
}

std::string BlasSummary() {
  const Json j = BlasInfo();
  std::string s = "BLAS " + j["vendor"].get<std::string>();
  s += " (";
  s += j["core_type"].is_string() ? j["core_type"].get<std::string>() : std::string("-");
  s += ", " + j["source"].get<std::string>();
  if (j.contains("threads")) s += "; " + std::to_string(j["threads"].get<int>()) + " threads";
  s += ") " + j["library"].get<std::string>();
  const std::string omp = j["omp_wait_policy"].get<std::string>();
  s += "; OMP_WAIT_POLICY " + (omp.empty() ? std::string("unset") : omp) + " (" +
       j["omp_wait_policy_source"].get<std::string>() + ")";
  const std::string w = j["warning"].get<std::string>();
  if (!w.empty()) s += " [" + w + "]";
  return s;
}

bool SetBlasThreads(int n) {
  using SetFn = void (*)(int);
  auto set = LookUp<SetFn>("openblas_set_num_threads");
  if (!set) return false;
  set(ResolveThreads(n));
  return true;
}

}  // namespace prism

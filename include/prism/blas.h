// prism/blas.h - choosing and reporting the BLAS kernels LibTorch's matmuls run on.
//
// Debian's LibTorch sends linear/attention matmuls to the system BLAS (libblas.so.3). With
// OpenBLAS (DYNAMIC_ARCH) the kernels are chosen from the CPU when the library is loaded; on
// some virtual CPUs it falls back to "Prescott" (SSE3), 5-6x slower than the AVX-512 kernels
// the CPU actually supports. OpenBLAS reads OPENBLAS_CORETYPE only while it initialises, before
// main(), so EnsureBlasCoreType() sets it and re-executes the program once - only when
// OpenBLAS's own pick is below what the CPU's instruction sets allow.
//
// Precedence of the choice: --blas-coretype VALUE on the command line > PRISM_BLAS_CORETYPE >
// an OPENBLAS_CORETYPE the user already set > detection from the CPU's instruction sets.
// VALUE is a core type (e.g. Haswell, SkylakeX), "auto" (detect) or "none" (leave OpenBLAS's
// own detection alone). A core type the CPU cannot run is refused (falls back to detection).
#pragma once

#include <string>
#include <vector>

#include "prism/run_folder.h"

namespace prism {

/// Instruction sets of the running CPU that matter to BLAS kernel choice. A flag is true only
/// when the CPU has it AND the OS saves the register state it needs (XCR0).
struct CpuFeatures {
  bool sse3 = false;
  bool avx = false;
  bool avx2 = false;
  bool fma = false;
  bool avx512f = false;
  bool avx512bw = false;
  bool avx512vl = false;
  bool avx512dq = false;
  std::string vendor;  ///< "GenuineIntel", "AuthenticAMD", ...

  /// Names of the flags that are set, e.g. {"avx2", "fma", "avx512f"}.
  std::vector<std::string> Names() const;
};

/// Detects the running CPU's features (cpuid + xgetbv); all false on non-x86 builds.
CpuFeatures DetectCpuFeatures();

/// The fastest OpenBLAS core type `cpu` runs safely: "SkylakeX" (avx512 f/bw/vl/dq),
/// "Haswell" (avx2 + fma), "Sandybridge" (avx), or "" (leave OpenBLAS's detection alone).
std::string CoreTypeForCpu(const CpuFeatures& cpu);

/// True when `core_type` (case-insensitive OpenBLAS name) is known and `cpu` can run it.
/// Unknown names are false.
bool CpuSupportsCoreType(const CpuFeatures& cpu, const std::string& core_type);

/// Where the choice came from.
enum class BlasChoiceSource {
  kAuto,      ///< detected from the CPU
  kCli,       ///< --blas-coretype
  kPrismEnv,  ///< PRISM_BLAS_CORETYPE
  kBlasEnv,   ///< OPENBLAS_CORETYPE set by the user
  kNone,      ///< "none" requested: OpenBLAS's own detection
  kLibraryDetect,  ///< auto, and OpenBLAS's own detection already has the detected kernel level
};

/// "auto", "cli", "PRISM_BLAS_CORETYPE", "OPENBLAS_CORETYPE", "none", "openblas-detect".
const char* BlasChoiceSourceName(BlasChoiceSource source);

/// The inputs of the choice (empty string = not given).
struct BlasRequest {
  std::string cli;           ///< value of --blas-coretype
  std::string prism_env;     ///< value of PRISM_BLAS_CORETYPE
  std::string openblas_env;  ///< value of OPENBLAS_CORETYPE inherited from the user
};

/// The outcome of the choice.
struct BlasChoice {
  std::string core_type;  ///< value for OPENBLAS_CORETYPE; "" = leave it unset
  BlasChoiceSource source = BlasChoiceSource::kAuto;
  std::string warning;    ///< non-empty when a requested value was refused (and why)
};

/// Pure choice logic (no environment access): applies the precedence above; a request for a
/// core type the CPU cannot run, or an unknown name, is refused with `warning` set and the
/// next source is tried. `library_detected` is what OpenBLAS chose by itself (its
/// openblas_get_corename(), "" if unknown): when detection would pick a kernel level that
/// library choice already has (e.g. Cooperlake vs SkylakeX), the library's choice is kept
/// (source kLibraryDetect, core_type "") so no re-exec is needed.
BlasChoice ChooseBlasCoreType(const CpuFeatures& cpu, const BlasRequest& request,
                              const std::string& library_detected = "");

/// Reads --blas-coretype from argv ("--blas-coretype X" or "--blas-coretype=X"); "" if absent.
std::string BlasCoreTypeFromArgs(int argc, char** argv);

/// Called first thing in main(): chooses the core type, and when OPENBLAS_CORETYPE differs from
/// the choice sets it and re-executes /proc/self/exe once (guarded by PRISM_BLAS_REEXEC). The
/// same single re-exec sets OMP_WAIT_POLICY=PASSIVE when the user has not set OMP_WAIT_POLICY
/// (libgomp also reads it only while loading): spinning OpenMP workers made 2-thread training
/// ~7x slower on a loaded 2-core machine (experiments/omp-wait-policy.md). Never throws; on failure
/// the program continues with the BLAS and OpenMP as loaded and BlasInfo() says so.
void EnsureBlasCoreType(int argc, char** argv);

/// The BLAS family a library path belongs to: "openblas", "mkl", "blis", "atlas", "reference"
/// (Debian's .../blas/libblas.so.3), "other", or "none" for an empty path.
std::string BlasVendorOf(const std::string& path);

/// What is actually in use: {"library": real path of the object providing sgemm_ (what
/// LibTorch's calls bind to), "vendor": BlasVendorOf(library), "libraries": [every mapped
/// *blas* object], "core_type": openblas_get_corename() (OpenBLAS only, else null), "config",
/// "threads", "requested_core_type",
/// "source", "warning", "cpu_flags": [...], "cpu_vendor"}. For run.json and logs.
Json BlasInfo();

/// Why EnsureBlasCoreType refused a request or could not apply its choice ("" when all went
/// as asked); main() prints it as a warning.
std::string BlasChoiceWarning();

/// One line for logs: "BLAS openblas (SkylakeX, auto; 2 threads) /usr/lib/.../libopenblasp-r0.3.21.so".
std::string BlasSummary();

/// Sets OpenBLAS's thread count (openblas_set_num_threads) when OpenBLAS is loaded; n <= 0 means
/// all cores. Returns false when the loaded BLAS has no such control.
bool SetBlasThreads(int n);

}  // namespace prism

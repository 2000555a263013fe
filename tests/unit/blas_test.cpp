// BLAS core-type choice: CPU flags -> core type, precedence of the overrides, safety refusals,
// argv parsing, reporting of the mapped library, and the re-exec through the real CLI.
#include "prism/blas.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace prism {
namespace {

CpuFeatures Avx512Cpu() {
  CpuFeatures f;
  f.sse3 = f.avx = f.avx2 = f.fma = true;
  f.avx512f = f.avx512bw = f.avx512vl = f.avx512dq = true;
  return f;
}
CpuFeatures Avx2Cpu() {
  CpuFeatures f;
  f.sse3 = f.avx = f.avx2 = f.fma = true;
  return f;
}
CpuFeatures OldCpu() {
  CpuFeatures f;
  f.sse3 = true;
  return f;
}

TEST(BlasChoice, CoreTypeFromFlags) {
  EXPECT_EQ(CoreTypeForCpu(Avx512Cpu()), "SkylakeX");
  EXPECT_EQ(CoreTypeForCpu(Avx2Cpu()), "Haswell");
  CpuFeatures avx_only = OldCpu();
  avx_only.avx = true;
  EXPECT_EQ(CoreTypeForCpu(avx_only), "Sandybridge");
  EXPECT_EQ(CoreTypeForCpu(OldCpu()), "");
  // AVX-512 foundation alone is not enough for the SkylakeX kernels (they use BW/VL/DQ).
  CpuFeatures partial = Avx2Cpu();
  partial.avx512f = true;
  EXPECT_EQ(CoreTypeForCpu(partial), "Haswell");
  // AVX2 without FMA is not Haswell.
  CpuFeatures no_fma = Avx2Cpu();
  no_fma.fma = false;
  EXPECT_EQ(CoreTypeForCpu(no_fma), "Sandybridge");
}

TEST(BlasChoice, AutoDetects) {
  BlasChoice c = ChooseBlasCoreType(Avx512Cpu(), {});
  EXPECT_EQ(c.core_type, "SkylakeX");
  EXPECT_EQ(c.source, BlasChoiceSource::kAuto);
  EXPECT_EQ(c.warning, "");
  c = ChooseBlasCoreType(OldCpu(), {});
  EXPECT_EQ(c.core_type, "");
  EXPECT_EQ(c.source, BlasChoiceSource::kNone);
}

TEST(BlasChoice, KeepsLibraryDetectionWhenAsGood) {
  // OpenBLAS already picked AVX-512 kernels under a newer name: keep them, no re-exec.
  BlasChoice c = ChooseBlasCoreType(Avx512Cpu(), {}, "Cooperlake");
  EXPECT_EQ(c.core_type, "");
  EXPECT_EQ(c.source, BlasChoiceSource::kLibraryDetect);
  c = ChooseBlasCoreType(Avx512Cpu(), {}, "SkylakeX");
  EXPECT_EQ(c.source, BlasChoiceSource::kLibraryDetect);
  // The virtual-CPU case of the issue: OpenBLAS fell back to Prescott -> override.
  c = ChooseBlasCoreType(Avx512Cpu(), {}, "Prescott");
  EXPECT_EQ(c.core_type, "SkylakeX");
  EXPECT_EQ(c.source, BlasChoiceSource::kAuto);
  c = ChooseBlasCoreType(Avx512Cpu(), {}, "Haswell");
  EXPECT_EQ(c.core_type, "SkylakeX");
  // Unknown names from the library are not trusted.
  c = ChooseBlasCoreType(Avx2Cpu(), {}, "SomethingNew");
  EXPECT_EQ(c.core_type, "Haswell");
  // Explicit requests are honoured whatever the library detected.
  BlasRequest r;
  r.cli = "Haswell";
  c = ChooseBlasCoreType(Avx512Cpu(), r, "Cooperlake");
  EXPECT_EQ(c.core_type, "Haswell");
  EXPECT_EQ(c.source, BlasChoiceSource::kCli);
}

TEST(BlasChoice, Precedence) {
  BlasRequest r;
  r.openblas_env = "Haswell";
  BlasChoice c = ChooseBlasCoreType(Avx512Cpu(), r);
  EXPECT_EQ(c.core_type, "Haswell");
  EXPECT_EQ(c.source, BlasChoiceSource::kBlasEnv);

  r.prism_env = "prescott";  // case-insensitive, normalised
  c = ChooseBlasCoreType(Avx512Cpu(), r);
  EXPECT_EQ(c.core_type, "Prescott");
  EXPECT_EQ(c.source, BlasChoiceSource::kPrismEnv);

  r.cli = "SkylakeX";
  c = ChooseBlasCoreType(Avx512Cpu(), r);
  EXPECT_EQ(c.core_type, "SkylakeX");
  EXPECT_EQ(c.source, BlasChoiceSource::kCli);

  r.cli = "auto";  // explicit auto beats the environment
  c = ChooseBlasCoreType(Avx512Cpu(), r);
  EXPECT_EQ(c.core_type, "SkylakeX");
  EXPECT_EQ(c.source, BlasChoiceSource::kAuto);

  r.cli = "none";
  c = ChooseBlasCoreType(Avx512Cpu(), r);
  EXPECT_EQ(c.core_type, "");
  EXPECT_EQ(c.source, BlasChoiceSource::kNone);

  r.cli.clear();
  r.prism_env = "none";
  c = ChooseBlasCoreType(Avx512Cpu(), r);
  EXPECT_EQ(c.source, BlasChoiceSource::kNone);
}

TEST(BlasChoice, RefusesUnsafeOrUnknown) {
  BlasRequest r;
  r.cli = "SkylakeX";  // would crash with SIGILL on an AVX2-only CPU
  BlasChoice c = ChooseBlasCoreType(Avx2Cpu(), r);
  EXPECT_EQ(c.core_type, "Haswell");
  EXPECT_EQ(c.source, BlasChoiceSource::kAuto);
  EXPECT_NE(c.warning.find("cli: this CPU cannot run SkylakeX kernels"), std::string::npos)
      << c.warning;

  r.cli = "Pentium9000";
  r.prism_env = "Haswell";  // refused CLI value falls through to the next source
  c = ChooseBlasCoreType(Avx2Cpu(), r);
  EXPECT_EQ(c.core_type, "Haswell");
  EXPECT_EQ(c.source, BlasChoiceSource::kPrismEnv);
  EXPECT_NE(c.warning.find("cli: unknown BLAS core type 'Pentium9000'"), std::string::npos)
      << c.warning;

  EXPECT_TRUE(CpuSupportsCoreType(Avx512Cpu(), "skylakex"));
  EXPECT_FALSE(CpuSupportsCoreType(Avx2Cpu(), "SkylakeX"));
  EXPECT_FALSE(CpuSupportsCoreType(Avx512Cpu(), "NoSuchCore"));
  EXPECT_TRUE(CpuSupportsCoreType(OldCpu(), "Prescott"));
}

TEST(BlasChoice, ArgvFlag) {
  const char* a1[] = {"prism", "--blas-coretype", "Haswell", "train"};
  EXPECT_EQ(BlasCoreTypeFromArgs(4, const_cast<char**>(a1)), "Haswell");
  const char* a2[] = {"prism", "--blas-coretype=none", "version"};
  EXPECT_EQ(BlasCoreTypeFromArgs(3, const_cast<char**>(a2)), "none");
  const char* a3[] = {"prism", "version", "--", "--blas-coretype=x"};
  EXPECT_EQ(BlasCoreTypeFromArgs(4, const_cast<char**>(a3)), "");
  const char* a4[] = {"prism", "--blas-coretype"};  // missing value: ignored here, CLI11 errors
  EXPECT_EQ(BlasCoreTypeFromArgs(2, const_cast<char**>(a4)), "");
}

TEST(BlasInfo, VendorFromPath) {
  EXPECT_EQ(BlasVendorOf("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"), "openblas");
  EXPECT_EQ(BlasVendorOf("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3"), "reference");
  EXPECT_EQ(BlasVendorOf("/opt/intel/lib/libmkl_rt.so"), "mkl");
  EXPECT_EQ(BlasVendorOf("/usr/lib/x86_64-linux-gnu/blis-openmp/libblas.so.3"), "blis");
  EXPECT_EQ(BlasVendorOf("/usr/lib/libfoo.so"), "other");
  EXPECT_EQ(BlasVendorOf(""), "none");
}

TEST(BlasInfo, NamesTheMappedLibrary) {
  // The test binary links libprism -> LibTorch -> libblas.so.3, so some BLAS is mapped.
  Json j = BlasInfo();
  ASSERT_TRUE(j["library"].is_string());
  EXPECT_FALSE(j["library"].get<std::string>().empty()) << j.dump();
  EXPECT_NE(j["vendor"], "none");
  EXPECT_EQ(j["source"], "unmanaged");
  EXPECT_TRUE(j["cpu_flags"].is_array());
  if (j["vendor"] == "openblas") {
    EXPECT_TRUE(j["core_type"].is_string()) << j.dump();
    EXPECT_TRUE(j.contains("threads"));
  }
  EXPECT_NE(BlasSummary().find("BLAS "), std::string::npos);
}

TEST(BlasInfo, CpuDetectionIsConsistent) {
  CpuFeatures f = DetectCpuFeatures();
  // Implications that must hold on any x86-64 machine.
  if (f.avx2) EXPECT_TRUE(f.avx);
  if (f.avx512bw) EXPECT_TRUE(f.avx512f);
  // The detected choice is always one the CPU can run.
  const std::string core = CoreTypeForCpu(f);
  if (!core.empty()) EXPECT_TRUE(CpuSupportsCoreType(f, core));
}

// The whole mechanism through the real executable: the requested kernels are what OpenBLAS
// reports after the re-exec, and the source is recorded.
TEST(BlasReexec, CliAppliesRequestedCoreType) {
  if (BlasInfo()["vendor"] != "openblas") GTEST_SKIP() << "LibTorch is not linked to OpenBLAS here";
  std::string out;
  const std::string cli = PRISM_CLI;
  ASSERT_EQ(RunCommand("env -u OPENBLAS_CORETYPE PRISM_BLAS_CORETYPE=Prescott " + cli +
                           " -v version", &out), 0) << out;
  EXPECT_NE(out.find("BLAS openblas (Prescott, PRISM_BLAS_CORETYPE"), std::string::npos) << out;

  ASSERT_EQ(RunCommand("env -u OPENBLAS_CORETYPE -u PRISM_BLAS_CORETYPE " + cli +
                           " --blas-coretype Core2 -v version", &out), 0) << out;
  EXPECT_NE(out.find("BLAS openblas (Core2, cli"), std::string::npos) << out;

  // A refused request is a warning (not an error); the program goes on with detection.
  ASSERT_EQ(RunCommand("env -u OPENBLAS_CORETYPE PRISM_BLAS_CORETYPE=bogus " + cli + " version",
                       &out), 0) << out;
  EXPECT_NE(out.find("warning: BLAS: PRISM_BLAS_CORETYPE: unknown BLAS core type 'bogus'"),
            std::string::npos) << out;

  // Automatic: either OpenBLAS's own pick is kept (it is as good) or the detected type is set.
  ASSERT_EQ(RunCommand("env -u OPENBLAS_CORETYPE -u PRISM_BLAS_CORETYPE " + cli + " -v version",
                       &out), 0) << out;
  const std::string detected = CoreTypeForCpu(DetectCpuFeatures());
  const bool kept = out.find(", openblas-detect;") != std::string::npos;
  const bool set = !detected.empty() &&
                   out.find("BLAS openblas (" + detected + ", auto") != std::string::npos;
  EXPECT_TRUE(kept || set) << out;
}

// OMP_WAIT_POLICY: PASSIVE by default (through the same re-exec), the user's value otherwise.
TEST(BlasReexec, OmpWaitPolicyPassiveUnlessSet) {
  std::string out;
  const std::string cli = PRISM_CLI;
  ASSERT_EQ(RunCommand("env -u OMP_WAIT_POLICY " + cli + " -v version", &out), 0) << out;
  EXPECT_NE(out.find("OMP_WAIT_POLICY PASSIVE (prism default)"), std::string::npos) << out;
  ASSERT_EQ(RunCommand("env OMP_WAIT_POLICY=active " + cli + " -v version", &out), 0) << out;
  EXPECT_NE(out.find("OMP_WAIT_POLICY active (OMP_WAIT_POLICY)"), std::string::npos) << out;
}

}  // namespace
}  // namespace prism

// `prism score`: inputs, the job manifest, the context, chunked scoring with resume, the merge
// and summary.json (prism/score.h).
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "prism/atomic_file.h"
#include "prism/error.h"
#include "prism/hash.h"
#include "prism/log.h"
#include "score/score_internal.h"

namespace prism {
namespace fs = std::filesystem;
using score::ScoreContext;

namespace score {

Json ScoreContext::ToJson() const {
  return {{"weights", weights}, {"offset", offset}, {"prior", prior}, {"pairs", pairs}};
}

ScoreContext ScoreContext::FromJson(const Json& j) {
  ScoreContext c;
  c.weights = j.at("weights").get<std::vector<double>>();
  c.offset = j.at("offset").get<double>();
  c.prior = j.at("prior").get<double>();
  c.pairs = j.at("pairs").get<size_t>();
  return c;
}

}  // namespace score

namespace {

std::string Abs(const std::string& p) { return fs::absolute(p).lexically_normal().string(); }

// Everything that decides the chunk contents: a resumed job must match it exactly.
Json JobKey(const ScoreOptions& o, uint64_t total) {
  const std::string ckpt = o.run_dir + "/checkpoints/" + o.checkpoint + ".pt";
  return {{"format", "prism-score/1"},
          {"run", Abs(o.run_dir)},
          {"checkpoint", o.checkpoint},
          {"checkpoint_hash", HashFile(ckpt)},
          {"genome", Abs(o.genome)},
          {"enhancers", {{"path", Abs(o.enhancers)}, {"hash", HashFile(o.enhancers)}}},
          {"promoters", {{"path", Abs(o.promoters)}, {"hash", HashFile(o.promoters)}}},
          {"cell_line", o.cell_line},
          {"window", {o.min_distance, o.max_distance}},
          {"crop", {o.max_enhancer, o.max_promoter, o.min_enhancer, o.min_promoter}},
          {"skip_missing", o.skip_missing},
          {"context_free", o.context_free},
          {"no_calibration", o.no_calibration},
          {"context_pairs", o.context_pairs},
          {"chunk_size", o.chunk_size},
          {"shard", {o.shard_index, o.shard_count}},
          {"candidates", total}};
}

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// A progress line on a terminal: done/total, rate, ETA.
class ProgressLine {
 public:
  ProgressLine(bool on, uint64_t total) : on_(on && isatty(2) && Log::Level() >= LogLevel::kInfo),
                                      total_(total), start_(Clock::now()) {}
  void Update(uint64_t done, uint64_t scored_now) {
    if (!on_) return;
    const double s = std::chrono::duration<double>(Clock::now() - start_).count();
    const double rate = s > 0 ? scored_now / s : 0;
    const double eta = rate > 0 ? (total_ - done) / rate : 0;
    std::fprintf(stderr, "\rscore: %llu/%llu pairs (%.0f%%), %.0f pairs/s, ETA %d:%02d   ",
                 static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_),
                 total_ ? 100.0 * done / total_ : 100.0, rate, static_cast<int>(eta) / 60,
                 static_cast<int>(eta) % 60);
  }
  void End() {
    if (on_) std::fprintf(stderr, "\n");
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool on_;
  uint64_t total_;
  Clock::time_point start_;
};

void CheckOptions(const ScoreOptions& o) {
  if (!fs::is_directory(o.run_dir)) Fatal("run folder '", o.run_dir, "' does not exist");
  if (o.shard_count < 1 || o.shard_index < 1 || o.shard_index > o.shard_count)
    Fatal("--shard I/N: need 1 <= I <= N, got ", o.shard_index, "/", o.shard_count);
  if (o.chunk_size < 1) Fatal("--chunk-size must be >= 1, got ", o.chunk_size);
  if (o.context_pairs < 1) Fatal("--context-pairs must be >= 1, got ", o.context_pairs);
  if (o.top_k < 0) Fatal("--top-k-per-promoter must be >= 0, got ", o.top_k);
  if (o.min_score > 1) Fatal("--min-score must be <= 1, got ", o.min_score);
  if (o.cell_line.empty() || o.cell_line.find_first_of("\t\n") != std::string::npos)
    Fatal("--cell-line must be a non-empty name without tabs");
}

// Reads the manifest of an earlier run of this job, or starts a new one.
bool OpenManifest(const ScoreOptions& o, const std::string& manifest, const Json& key,
                  Json* out) {
  if (!fs::exists(manifest)) {
    // A fresh job: no chunk of an earlier, unidentified job may be reused.
    fs::remove_all(fs::path(manifest).parent_path() / "chunks");
    MakeDirs((fs::path(manifest).parent_path() / "chunks").string());
    return false;
  }
  if (!o.resume)
    Fatal(o.out_dir, " holds a scoring job (", manifest,
          "); pass --resume to continue it or choose another -o");
  *out = ReadJsonFile(manifest);
  const Json& old = out->at("job");
  for (const auto& [k, v] : key.items())
    if (!old.contains(k) || old.at(k) != v)
      Fatal("--resume: ", k, " differs from the job in ", manifest, " (was ",
            old.contains(k) ? old.at(k).dump() : "absent", ", now ", v.dump(),
            "); choose another -o to score with other inputs or options");
  return true;
}

// summary.json without the timing and chunk counts of this invocation.
Json SummaryJson(const ScoreOptions& o, const CandidateSet& set, const Json& elements,
                 const score::MergeCounts& merged, const ScoreContext& context,
                 size_t shard_promoters, uint64_t shard_candidates) {
  return {
      {"format", "prism-score-summary/1"},
      {"run", Abs(o.run_dir)},
      {"checkpoint", o.checkpoint},
      {"cell_line", o.cell_line},
      {"genome", Abs(o.genome)},
      {"elements", elements},
      {"window", {{"min_distance", o.min_distance}, {"max_distance", o.max_distance}}},
      {"candidates", set.total()},
      {"shard", {{"index", o.shard_index}, {"count", o.shard_count},
                 {"candidates", shard_candidates}, {"promoters", shard_promoters}}},
      {"scored", merged.scored},
      {"written", merged.rows},
      {"filters", {{"top_k_per_promoter", o.top_k},
                   {"min_score", o.min_score >= 0 ? Json(o.min_score) : Json()}}},
      {"score_range", {JsonNumber(merged.scored ? merged.min_score : NAN),
                       JsonNumber(merged.scored ? merged.max_score : NAN)}},
      {"context", context.ToJson()},
      {"mode", o.context_free ? "context_free" : "context"},
      {"outputs", {"predictions.tsv.gz", "predictions.bedpe.gz", "predictions.interact.bed.gz"}}};
}

}  // namespace

Json ScoreRun(const ScoreOptions& o) {
  CheckOptions(o);
  const auto t0 = std::chrono::steady_clock::now();
  const std::string work = o.out_dir + "/.score", manifest_path = work + "/manifest.json";
  if (!fs::exists(manifest_path) && fs::exists(o.out_dir + "/summary.json")) {
    if (!o.resume) Fatal(o.out_dir, " already holds predictions (summary.json); choose another -o");
    Log::Info("score: the job in " + o.out_dir + " is finished (summary.json); nothing to resume");
    return ReadJsonFile(o.out_dir + "/summary.json");
  }
  Genome genome(o.genome);
  auto enh = score::ReadElements(o.enhancers, "enhancer", genome, o.skip_missing, o.max_enhancer,
                                 o.min_enhancer);
  auto prom = score::ReadElements(o.promoters, "promoter", genome, o.skip_missing,
                                  o.max_promoter, o.min_promoter);
  if (enh.elements.empty()) Fatal(o.enhancers, ": no enhancers to score");
  if (prom.elements.empty()) Fatal(o.promoters, ": no promoters to score");
  Json elements = {{"enhancers", {{"read", enh.read}, {"used", enh.elements.size()},
                                  {"skipped", enh.skipped}, {"duplicates", enh.duplicates}}},
                   {"promoters", {{"read", prom.read}, {"used", prom.elements.size()},
                                  {"skipped", prom.skipped}, {"duplicates", prom.duplicates}}}};
  const CandidateSet set(std::move(enh.elements), std::move(prom.elements), genome.Contigs(),
                         o.min_distance, o.max_distance);
  const auto [p_first, p_end] = set.ShardPromoters(o.shard_index - 1, o.shard_count);
  const uint64_t begin = set.Offset(p_first), end = set.Offset(p_end);
  const uint64_t chunk = static_cast<uint64_t>(o.chunk_size);
  Log::Info("score: " + std::to_string(set.total()) + " candidate pairs within [" +
            std::to_string(o.min_distance) + ", " + std::to_string(o.max_distance) + "] bp; shard " +
            std::to_string(o.shard_index) + "/" + std::to_string(o.shard_count) + ": " +
            std::to_string(end - begin));

  MakeDirs(work + "/chunks");
  const Json key = JobKey(o, set.total());
  Json manifest;
  const bool resumed = OpenManifest(o, manifest_path, key, &manifest);
  auto scorer = score::LoadModelScorer(o.run_dir, o.checkpoint, o.threads, o.context_free,
                                       o.no_calibration);
  ScoreContext context;
  double context_seconds = 0, fetch_seconds = 0, model_seconds = 0;
  if (resumed) {
    context = ScoreContext::FromJson(manifest.at("context"));
    Log::Info("score: resuming the job in " + work);
  } else {
    // The context: an even sample of all the cell line's candidates (every shard the same).
    std::vector<uint64_t> sample;
    const uint64_t m = std::min<uint64_t>(set.total(), static_cast<uint64_t>(o.context_pairs));
    for (uint64_t i = 0; i < m; ++i) sample.push_back(i * set.total() / m);
    const auto t_context = std::chrono::steady_clock::now();
    if (!sample.empty())
      context = scorer->Context(score::FetchPairs(set, set.Gather(sample), genome, o));
    context_seconds = Since(t_context);
    manifest = {{"job", key}, {"context", context.ToJson()}};
    WriteJsonFile(manifest_path, manifest);
  }

  // Chunks [c * chunk, (c + 1) * chunk) of the global order, clipped to the shard.
  const auto t_score = std::chrono::steady_clock::now();
  uint64_t scored_now = 0, chunks_done_before = 0, chunks = 0;
  ProgressLine progress(o.progress, end - begin);
  for (uint64_t c = begin / chunk; c * chunk < end; ++c) {
    const uint64_t from = std::max(begin, c * chunk), to = std::min(end, (c + 1) * chunk);
    ++chunks;
    const std::string path = score::ChunkPath(work, c);
    if (score::ChunkComplete(path, from, to - from)) {
      ++chunks_done_before;
    } else {
      std::vector<Candidate> pairs;
      pairs.reserve(to - from);
      set.ForRange(from, to, [&](const Candidate& cand) { pairs.push_back(cand); });
      auto t = std::chrono::steady_clock::now();
      const auto batch = score::FetchPairs(set, pairs, genome, o);
      fetch_seconds += Since(t);
      t = std::chrono::steady_clock::now();
      score::WriteChunk(path, from, scorer->Logits(batch, context));
      model_seconds += Since(t);
      scored_now += to - from;
    }
    progress.Update(to - begin, scored_now);
  }
  progress.End();
  const double score_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t_score).count();

  const auto t_merge = std::chrono::steady_clock::now();
  const auto merged = score::MergeChunks(set, p_first, p_end, work, chunk, context, o);
  const double merge_seconds = Since(t_merge);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  Json summary = SummaryJson(o, set, elements, merged, context, p_end - p_first, end - begin);
  summary["epoch"] = scorer->epoch();
  summary["embed_conv"] = scorer->embed_conv();
  if (!scorer->ensemble().empty()) summary["ensemble"] = scorer->ensemble();
  summary["chunks"] = {{"size", o.chunk_size}, {"count", chunks}, {"resumed", chunks_done_before}};
  summary["scored_this_run"] = scored_now;
  summary["seconds"] = seconds;
  summary["scoring_seconds"] = score_seconds;
  // Where the time went: the context estimate, fetching + enumerating the chunks' sequences,
  // the model on them, and the merge (ranking, writing, indexing).
  summary["time"] = {{"context", context_seconds}, {"fetch", fetch_seconds},
                     {"model", model_seconds}, {"merge", merge_seconds},
                     {"fetch_share", JsonNumber(fetch_seconds + model_seconds > 0
                                                    ? fetch_seconds / (fetch_seconds + model_seconds)
                                                    : NAN)}};
  summary["pairs_per_s"] = JsonNumber(score_seconds > 0 ? scored_now / score_seconds : NAN);
  WriteJsonFile(o.out_dir + "/summary.json", summary);
  // Done: the chunks are merged into the outputs; drop the job state.
  fs::remove_all(work);
  return summary;
}

}  // namespace prism

#include "tests/crash/stop_prober.hpp"

namespace backbeat::crash {
namespace {

std::string probe_subject(int i) { return R"({"probe":)" + std::to_string(i) + "}"; }

std::string url_encoded(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += char(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

void StopProber::start(int threads) {
  running_ = true;
  for (int t = 0; t < threads; ++t) threads_.emplace_back([this] { run(); });
}

void StopProber::stop() {
  running_ = false;
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void StopProber::run() {
  while (running_) {
    Probe p;
    p.index = next_++;
    p.sent = Clock::now();
    p.answer = api_.once("POST", "/workflows",
                         R"({"name":"probe","decider":"Probe","subject":)" + probe_subject(p.index) + "}");
    std::lock_guard lock(mu_);
    probes_.push_back(std::move(p));
  }
}

StopProbeFigures StopProber::check(Clock::time_point stop_began) {
  StopProbeFigures f;
  std::vector<Probe> probes;
  {
    std::lock_guard lock(mu_);
    probes.swap(probes_);
  }
  for (const Probe& p : probes) {
    ++f.probes;
    const Reply found = api_.call("GET", "/workflows?name=probe&decider=Probe&subject=" +
                                             url_encoded(probe_subject(p.index)));
    if (found.status != 200 && found.status != 404) {
      f.problems.push_back("probe " + std::to_string(p.index) + " lookup: " +
                           std::to_string(found.status) + " " + found.body);
      continue;
    }
    const bool exists = found.status == 200;
    const int status = p.answer.status;
    const std::string label = "probe " + std::to_string(p.index) + " (" + std::to_string(status) + ")";
    if (status >= 200 && status < 300) {
      ++f.accepted;
      if (!exists) f.problems.push_back(label + ": acknowledged, then lost");
      if (p.sent > stop_began) f.problems.push_back(label + ": accepted after the node began to stop");
    } else if (status == 503) {
      ++f.turned_away;
      if (exists) f.problems.push_back(label + ": answered 503 but applied");
    } else if (status == 0) {
      const bool never_sent = p.answer.body.rfind("connect:", 0) == 0;
      ++(never_sent ? f.refused : f.cut);
      if (!never_sent && f.cut_sample.empty()) f.cut_sample = p.answer.body;
      if (exists)
        f.problems.push_back(label + ": applied, but its connection was closed without an answer (" +
                             p.answer.body + ")");
    } else {
      f.problems.push_back(label + ": unexpected answer " + p.answer.body.substr(0, 200));
    }
  }
  return f;
}

}  // namespace backbeat::crash

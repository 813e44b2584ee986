#include "runtime/echo_endpoint.hpp"

#include <signal.h>

#include <iostream>
#include <mutex>

#include "engine/log.hpp"
#include "net/http_server.hpp"

namespace backbeat::runtime {

int run_echo_endpoint(uint16_t port) {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);  // before any thread starts

  std::mutex out;
  net::HttpServerOptions options;
  options.port = port;
  net::HttpServer server(options, [&](net::HttpRequest&& r, net::Responder respond) {
    {
      std::lock_guard lock(out);
      std::cout << r.method << " " << r.target << " " << r.body << std::endl;
    }
    respond(net::HttpResponse{200, "application/json", "{}", {}});
  });
  auto bound = server.start();
  if (!bound) {
    log::error("echo-endpoint", bound.error().message);
    return 1;
  }
  std::cout << "echo endpoint on http://" << options.host << ":" << *bound << std::endl;
  int sig = 0;
  sigwait(&stop_signals, &sig);
  server.stop();
  return 0;
}

}  // namespace backbeat::runtime

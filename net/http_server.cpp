// The socket side of the HTTP server: listening, accepting and admitting
// connections. Beast is slow to compile, so it stays in here, in
// net/http_server_tls.cpp (the TLS transport) and in net/http_wire.cpp (the
// socket-free parsing and encoding); a connection is net/http_server_session.hpp.
#include "net/http_server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <thread>
#include <vector>

#include "net/http_server_session.hpp"

namespace backbeat::net {
namespace server {

HttpResponse refusal(Admission admission, const AddressKey& address,
                     const HttpServerOptions& options) {
  HttpResponse r =
      admission == Admission::over_address_limit
          ? wire::error_response(TransportError::too_many_from_address,
                                 "too many connections from " + to_string(address) + " (at most " +
                                     std::to_string(options.max_connections_per_address) + ")",
                                 options.error_body)
          : wire::error_response(TransportError::too_many_connections, "too many connections",
                                 options.error_body);
  r.headers.emplace_back("Retry-After", "1");
  return r;
}

}  // namespace server

namespace {

using namespace server;

// A failing accept (EMFILE) would otherwise spin a core.
constexpr std::chrono::milliseconds kAcceptRetry{100};

AddressKey address_key(const asio::ip::address& address) {
  return address.is_v4() ? ipv4_key(address.to_v4().to_uint()) : address.to_v6().to_bytes();
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(HttpServerOptions options, HttpHandler handler)
      : ioc_(std::max(1, options.io_threads)) {
    if (options.counters) shared_.counters = options.counters;
    shared_.options = std::move(options);
    shared_.gate->error_body = shared_.options.error_body;
    shared_.handler = std::move(handler);
  }

  ~Impl() { stop(); }

  Result<uint16_t> start() {
    std::lock_guard lock(state_mu_);
    if (state_ == State::running) return port_;
    if (state_ == State::stopped)
      return make_error(Error::Kind::server_stopped, "the server was stopped");
    try {
      return listen_and_run();
    } catch (const std::exception& e) {
      abort_start();
      return make_error(Error::Kind::listen_failed, e.what());
    }
  }

  void drain(std::chrono::milliseconds bound) {
    {
      std::lock_guard lock(state_mu_);
      if (state_ != State::running) return;
    }
    shared_.draining = true;
    asio::post(accept_strand_, [this] {
      error_code ignored;
      acceptor_.close(ignored);
      retry_timer_.cancel();
    });
    const auto deadline = std::chrono::steady_clock::now() + bound;
    while (shared_.exchanges.load() > 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

  const HttpServerCounters& counters() const { return *shared_.counters; }

  void stop() {
    std::lock_guard lock(state_mu_);
    bool was_running = state_ == State::running;
    state_ = State::stopped;
    if (!was_running) return;
    {
      std::lock_guard gate(shared_.gate->mu);
      shared_.gate->open = false;
    }
    ioc_.stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
    error_code ignored;
    acceptor_.close(ignored);
    decltype(shared_.sessions) sessions;
    {
      std::lock_guard guard(shared_.mu);
      sessions.swap(shared_.sessions);
    }
    for (auto& [raw, session] : sessions) session->close();
  }

 private:
  enum class State { idle, running, stopped };

  Result<uint16_t> listen_and_run() {
    const auto& o = shared_.options;
    if (o.tls_cert.empty() != o.tls_key.empty())
      return make_error(Error::Kind::tls_setup,
                        "a TLS certificate and its key go together: one was given without the "
                        "other");
    if (!o.tls_cert.empty()) {
      auto tls = load_tls_context(o.tls_cert, o.tls_key);
      if (!tls) return tls.error();
      tls_ = std::move(*tls);
    }
    error_code ec;
    auto address = asio::ip::make_address(o.host, ec);
    if (ec) {
      // Not a literal address: let the resolver have a go ("localhost").
      tcp::resolver resolver(ioc_);
      auto results = resolver.resolve(o.host, "", ec);
      if (ec || results.empty()) return listen_error("cannot resolve " + o.host);
      address = results.begin()->endpoint().address();
    }
    tcp::endpoint endpoint(address, o.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (!ec) port_ = acceptor_.local_endpoint(ec).port();
    if (ec) {
      abort_start();
      return listen_error("cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " +
                          ec.message());
    }
    accept();
    for (int i = 0; i < std::max(1, o.io_threads); ++i) threads_.emplace_back([this] { run(); });
    state_ = State::running;
    return port_;
  }

  static Error listen_error(std::string message) {
    return make_error(Error::Kind::listen_failed, std::move(message));
  }

  void abort_start() {
    ioc_.stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
    error_code ignored;
    acceptor_.close(ignored);
    ioc_.restart();
  }

  void run() {
    for (;;) {
      try {
        ioc_.run();
        return;
      } catch (...) {
        // A throwing completion handler must not take the whole server down.
      }
    }
  }

  void accept() {
    acceptor_.async_accept(asio::make_strand(ioc_), [this](error_code ec, tcp::socket socket) {
      on_accept(ec, std::move(socket));
    });
  }

  void on_accept(error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      retry_timer_.expires_after(kAcceptRetry);
      retry_timer_.async_wait([this](error_code e) {
        if (!e) accept();
      });
      return;
    }
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    const auto peer = socket.remote_endpoint(ec);
    if (ec) return accept();  // gone already; the socket closes here
    const AddressKey address = address_key(peer.address());
    // Only admitted connections count towards max_connections: were the
    // refused ones (answering their 503, lingering) counted too, one address
    // refused often enough would fill it and lock every other client out.
    Admission admission = Admission::admitted;
    bool answer = true;
    {
      std::lock_guard lock(shared_.mu);
      const auto& o = shared_.options;
      if (shared_.per_address.total() >= o.max_connections)
        admission = Admission::over_capacity;
      else if (!shared_.per_address.try_acquire(address, o.max_connections_per_address))
        admission = Admission::over_address_limit;
      // Refusals are short-lived (kRefusalTime) but a flood of them must
      // not hold sockets without bound either: past as many as may be
      // served, they are closed unanswered.
      if (admission != Admission::admitted)
        answer = shared_.sessions.size() - shared_.per_address.total() < o.max_connections;
    }
    if (admission == Admission::over_capacity) ++shared_.counters->refused_capacity;
    if (admission == Admission::over_address_limit) ++shared_.counters->refused_per_address;
    if (!answer) return accept();  // the socket closes here
    const bool counted = admission == Admission::admitted;
    std::shared_ptr<Connection> session =
        tls_ ? make_tls_session(shared_, *tls_, std::move(socket), address, counted)
             : std::make_shared<Session<PlainTransport>>(shared_, address, counted,
                                                         std::move(socket));
    {
      std::lock_guard lock(shared_.mu);
      shared_.sessions.emplace(session.get(), session);
    }
    asio::post(session->executor(), [session, admission] { session->start(admission); });
    accept();
  }

  // Declaration order is destruction order in reverse: sessions die inside
  // ~io_context and only touch Shared from their own methods, never later.
  Shared shared_;
  std::shared_ptr<TlsContext> tls_;  // null: plain HTTP
  asio::io_context ioc_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{ioc_.get_executor()};
  asio::strand<asio::io_context::executor_type> accept_strand_{asio::make_strand(ioc_)};
  tcp::acceptor acceptor_{accept_strand_};
  asio::steady_timer retry_timer_{accept_strand_};
  std::mutex state_mu_;
  State state_ = State::idle;
  uint16_t port_ = 0;
  std::vector<std::thread> threads_;
};

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() = default;

Result<uint16_t> HttpServer::start() { return impl_->start(); }

void HttpServer::drain(std::chrono::milliseconds bound) { impl_->drain(bound); }

void HttpServer::stop() { impl_->stop(); }

const HttpServerCounters& HttpServer::counters() const { return impl_->counters(); }

}  // namespace backbeat::net

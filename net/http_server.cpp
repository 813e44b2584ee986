// The socket side of the HTTP server. Beast is slow to compile, so it stays
// in here and in net/http_wire.cpp (the socket-free parsing and encoding).
#include "net/http_server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "net/http_wire.hpp"

namespace backbeat::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using beast::error_code;

// After an error reply the client may still be sending its body. Closing
// with unread bytes makes the kernel answer with RST, which can destroy the
// reply before the client reads it, so we read and discard for a while.
constexpr std::chrono::seconds kLingerTime{2};
// A failing accept (EMFILE) would otherwise spin a core.
constexpr std::chrono::milliseconds kAcceptRetry{100};

using wire::build;
using wire::error_response;

// Closed by stop() before the I/O threads go, so a Responder called later
// never posts into an io_context that is stopped or destroyed.
struct Gate {
  std::mutex mu;
  bool open = true;
};

class Session;

struct Shared {
  HttpServerOptions options;
  HttpHandler handler;
  std::shared_ptr<Gate> gate = std::make_shared<Gate>();
  std::mutex mu;
  // While its handler works a session has no pending I/O holding it, so
  // this map is what keeps it alive; stop() uses it to close everything.
  std::unordered_map<Session*, std::shared_ptr<Session>> sessions;
  // Requests read whose answer is not on the wire yet: what drain() waits
  // for, so that a change the handler made is never left unanswered.
  std::atomic<int> exchanges{0};
  std::atomic<bool> draining{false};
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Shared& shared, tcp::socket socket) : shared_(shared), stream_(std::move(socket)) {}

  asio::any_io_executor executor() { return stream_.get_executor(); }

  void start(bool within_capacity) {
    if (!within_capacity)
      return reply_and_close(error_response(503, "Unavailable", "too many connections"));
    read_header();
  }

  // On the strand. The request it answers may have lost its connection.
  void respond(HttpResponse r) {
    if (closed_ || !awaiting_handler_) return;
    awaiting_handler_ = false;
    auto res = build(std::move(r), version_, keep_alive_ && !shared_.draining);
    // A HEAD answer carries the length a GET would have, but no body: a body
    // would be read as the start of the next response on this connection.
    if (head_) res.body().clear();
    write(std::move(res));
  }

  // On the strand, or from stop() once no I/O thread runs.
  void close() {
    if (closed_) return;
    closed_ = true;
    end_exchange();
    auto self = shared_from_this();  // the map may hold the last reference
    error_code ignored;
    stream_.socket().close(ignored);
    std::unique_lock lock(shared_.mu);
    auto node = shared_.sessions.extract(this);
    lock.unlock();
  }

 private:
  template <class F>
  auto bind(F f) {
    return [self = shared_from_this(), f](error_code ec, std::size_t) { (self.get()->*f)(ec); };
  }

  void read_header() {
    parser_.emplace();
    wire::limit(*parser_, shared_.options);
    stream_.expires_after(shared_.options.idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_, bind(&Session::on_header));
  }

  void on_header(error_code ec) {
    if (ec) return on_read_error(ec);
    if (wire::expects_continue(*parser_)) {
      // curl holds back a body over 1 KiB for up to a second waiting for this.
      continue_ = http::response<http::empty_body>{http::status::continue_,
                                                   parser_->get().version()};
      stream_.expires_after(shared_.options.idle_timeout);
      return http::async_write(stream_, continue_, bind(&Session::on_continue_sent));
    }
    read_body();
  }

  void on_continue_sent(error_code ec) {
    if (ec) return close();
    read_body();
  }

  void read_body() {
    stream_.expires_after(shared_.options.idle_timeout);
    http::async_read(stream_, buffer_, *parser_, bind(&Session::on_body));
  }

  void on_read_error(error_code ec) {
    if (parser_->is_header_done()) version_ = parser_->get().version();
    if (auto answer = wire::read_error_response(ec, shared_.options))
      return reply_and_close(std::move(*answer));
    close();
  }

  void on_body(error_code ec) {
    if (ec) return on_read_error(ec);
    auto msg = parser_->release();
    parser_.reset();
    keep_alive_ = msg.keep_alive();
    version_ = msg.version();
    head_ = msg.method() == http::verb::head;

    HttpRequest req = wire::to_request(std::move(msg));

    // The handler may take as long as it likes; that is not idleness.
    stream_.expires_never();
    awaiting_handler_ = true;
    in_exchange_ = true;
    ++shared_.exchanges;
    try {
      shared_.handler(std::move(req), make_responder());
    } catch (...) {
      // The dropped Responder answers 500.
    }
  }

  Responder make_responder();

  void reply_and_close(HttpResponse r) {
    keep_alive_ = false;
    write(build(std::move(r), version_, false));
  }

  void write(http::response<http::string_body> res) {
    res_ = std::move(res);
    stream_.expires_after(shared_.options.idle_timeout);
    http::async_write(stream_, res_, bind(&Session::on_write));
  }

  void on_write(error_code ec) {
    end_exchange();
    if (ec) return close();
    if (!res_.keep_alive()) return linger();
    res_ = {};
    read_header();
  }

  void linger() {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close();
    stream_.expires_after(kLingerTime);
    buffer_.clear();
    discard();
  }

  void discard() {
    stream_.async_read_some(buffer_.prepare(4096), bind(&Session::on_discarded));
  }

  void on_discarded(error_code ec) {
    if (ec) return close();
    discard();
  }

  void end_exchange() {
    if (!in_exchange_) return;
    in_exchange_ = false;
    --shared_.exchanges;
  }

  Shared& shared_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::empty_body> continue_;
  http::response<http::string_body> res_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool head_ = false;
  bool awaiting_handler_ = false;
  bool in_exchange_ = false;  // counted in Shared::exchanges
  bool closed_ = false;
};

// Shared by every copy of one request's Responder, so "dropped without an
// answer" is simply its destructor.
class Completion {
 public:
  Completion(std::shared_ptr<Gate> gate, std::weak_ptr<Session> session)
      : gate_(std::move(gate)), session_(std::move(session)) {}
  Completion(const Completion&) = delete;
  Completion& operator=(const Completion&) = delete;

  ~Completion() {
    if (done_.load()) return;
    try {
      deliver(error_response(500, "InternalError", "the request was dropped without a response"));
    } catch (...) {
    }
  }

  void complete(HttpResponse r) {
    if (done_.exchange(true)) return;
    try {
      deliver(std::move(r));
    } catch (...) {
    }
  }

 private:
  void deliver(HttpResponse r) {
    std::lock_guard lock(gate_->mu);
    if (!gate_->open) return;
    auto session = session_.lock();
    if (!session) return;
    auto executor = session->executor();
    asio::post(executor, [session, r = std::move(r)]() mutable { session->respond(std::move(r)); });
  }

  std::shared_ptr<Gate> gate_;
  std::weak_ptr<Session> session_;
  std::atomic<bool> done_{false};
};

Responder Session::make_responder() {
  auto completion = std::make_shared<Completion>(shared_.gate, weak_from_this());
  return [completion](HttpResponse r) { completion->complete(std::move(r)); };
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(HttpServerOptions options, HttpHandler handler)
      : ioc_(std::max(1, options.io_threads)) {
    shared_.options = std::move(options);
    shared_.handler = std::move(handler);
  }

  ~Impl() { stop(); }

  Result<uint16_t> start() {
    std::lock_guard lock(state_mu_);
    if (state_ == State::running) return port_;
    if (state_ == State::stopped)
      return make_error(Error::Kind::unavailable, "ServerStopped", "the server was stopped");
    try {
      return listen_and_run();
    } catch (const std::exception& e) {
      abort_start();
      return make_error(Error::Kind::internal, "ListenFailed", e.what());
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
    return make_error(Error::Kind::unavailable, "ListenFailed", std::move(message));
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
    auto session = std::make_shared<Session>(shared_, std::move(socket));
    bool within_capacity;
    {
      std::lock_guard lock(shared_.mu);
      within_capacity = shared_.sessions.size() < shared_.options.max_connections;
      shared_.sessions.emplace(session.get(), session);
    }
    asio::post(session->executor(), [session, within_capacity] { session->start(within_capacity); });
    accept();
  }

  // Declaration order is destruction order in reverse: sessions die inside
  // ~io_context and only touch Shared from their own methods, never later.
  Shared shared_;
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

}  // namespace backbeat::net

#pragma once
// One HTTP connection of the server, over plain TCP or TLS. Private to
// net/http_server.cpp and net/http_server_tls.cpp: it includes Beast, which is
// slow to compile, and the TLS half also Asio's SSL, which the plain one does
// without. The transport is a template parameter, so the plain path compiles
// to what it was before TLS existed.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "net/connection_limits.hpp"
#include "net/http_counters.hpp"
#include "net/http_server.hpp"
#include "net/http_wire.hpp"
#include "engine/result.hpp"

namespace backbeat::net::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using beast::error_code;

// After an error reply the client may still be sending its body. Closing
// with unread bytes makes the kernel answer with RST, which can destroy the
// reply before the client reads it, so we read and discard for a while.
inline constexpr std::chrono::seconds kLingerTime{2};
// A refused connection's every step (TLS handshake, the 503) gets at most
// this: it holds no slot of max_connections, so it must not hold its socket
// for a whole header_timeout either.
inline constexpr std::chrono::seconds kRefusalTime{2};
// What one read asks for, as Beast's own reads do.
inline constexpr std::size_t kReadSize = 65536;

// Closed by stop() before the I/O threads go, so a Responder called later
// never posts into an io_context that is stopped or destroyed.
struct Gate {
  std::mutex mu;
  bool open = true;
  TransportErrorBody error_body;  // the options', for a Completion outliving them
};

// Whether a new connection may be served, decided when it is accepted.
enum class Admission { admitted, over_capacity, over_address_limit };

// What the server keeps of a connection, whichever its transport.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual asio::any_io_executor executor() = 0;
  // On the connection's strand, once: serves it, or answers the refusal.
  virtual void start(Admission admission) = 0;
  // On the strand, or from stop() once no I/O thread runs.
  virtual void close() = 0;
};

struct Shared {
  HttpServerOptions options;
  HttpHandler handler;
  HttpServerCounters own_counters;
  HttpServerCounters* counters = &own_counters;  // options.counters when given
  std::shared_ptr<Gate> gate = std::make_shared<Gate>();
  std::mutex mu;
  // While its handler works a session has no pending I/O holding it, so
  // this map is what keeps it alive; stop() uses it to close everything.
  std::unordered_map<Connection*, std::shared_ptr<Connection>> sessions;
  AddressCounts per_address;  // under mu; admitted connections only
  // Requests read whose answer is not on the wire yet: what drain() waits
  // for, so that a change the handler made is never left unanswered.
  std::atomic<int> exchanges{0};
  std::atomic<bool> draining{false};

  // A closed connection leaves the map and, if it was counted, frees its
  // address's slot. The caller holds its own reference: the map's may be
  // the last, and must not be dropped under the lock.
  void forget(Connection* connection, const AddressKey* counted) {
    std::unique_lock lock(mu);
    auto node = sessions.extract(connection);
    if (counted) per_address.release(*counted);
    lock.unlock();
  }
};

// The 503 a refused connection gets, before it is closed.
HttpResponse refusal(Admission admission, const AddressKey& address,
                     const HttpServerOptions& options);

template <class Session>
class Completion;

// Transport is PlainTransport (below) or TlsTransport (http_server_tls.cpp):
// a Stream type, async_handshake(stream, handler(ec)) and
// async_close_notify(stream, handler(ec)), the end of what we send.
template <class Transport>
class Session final : public Connection, public std::enable_shared_from_this<Session<Transport>> {
 public:
  using Stream = typename Transport::Stream;

  template <class... StreamArgs>
  Session(Shared& shared, const AddressKey& address, bool counted, StreamArgs&&... stream_args)
      : shared_(shared),
        address_(address),
        counted_(counted),
        stream_(std::forward<StreamArgs>(stream_args)...) {}

  asio::any_io_executor executor() override { return stream_.get_executor(); }

  void start(Admission admission) override {
    // The handshake and the first header share one deadline, so a client
    // that stalls either holds the connection no longer than header_timeout.
    expires_after(shared_.options.header_timeout);
    Transport::async_handshake(stream_, [self = this->shared_from_this(), admission](error_code ec) {
      self->on_handshake(ec, admission);
    });
  }

  // On the strand. The request it answers may have lost its connection.
  void respond(HttpResponse r) {
    if (closed_ || !awaiting_handler_) return;
    awaiting_handler_ = false;
    auto res = wire::build(std::move(r), version_, keep_alive_ && !shared_.draining,
                           shared_.options.error_body);
    // A HEAD answer carries the length a GET would have, but no body: a body
    // would be read as the start of the next response on this connection.
    if (head_) res.body().clear();
    write(std::move(res));
  }

  void close() override {
    if (closed_) return;
    closed_ = true;
    end_exchange();
    auto self = this->shared_from_this();  // the map may hold the last reference
    error_code ignored;
    lowest().socket().close(ignored);
    shared_.forget(this, counted_ ? &address_ : nullptr);
  }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void expires_after(std::chrono::milliseconds d) {
    lowest().expires_after(counted_ ? d : std::min<std::chrono::milliseconds>(d, kRefusalTime));
  }

  template <class F>
  auto bind(F f) {
    return [self = this->shared_from_this(), f](error_code ec, std::size_t) { (self.get()->*f)(ec); };
  }

  void on_handshake(error_code ec, Admission admission) {
    if (ec) {
      // A stalled handshake is a slow client like a stalled header.
      ++(ec == beast::error::timeout ? shared_.counters->request_timeouts
                                     : shared_.counters->tls_handshake_failures);
      return close();
    }
    if (admission != Admission::admitted)
      return reply_and_close(refusal(admission, address_, shared_.options));
    read_header();
  }

  // Within the deadline already running: header_timeout from the
  // connection's start, or from the first byte of this request.
  void read_header() {
    parser_.emplace();
    wire::limit(*parser_, shared_.options);
    http::async_read_header(stream_, buffer_, *parser_, bind(&Session::on_header));
  }

  // A kept-alive connection may wait idle_timeout for its next request; once
  // that has begun, its header has header_timeout. Bytes dripping in one by
  // one do not move a deadline, so a slow client cannot stretch either.
  void await_next_request() {
    if (buffer_.size() != 0) {  // pipelined: the next request has begun
      expires_after(shared_.options.header_timeout);
      return read_header();
    }
    expires_after(shared_.options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(beast::read_size(buffer_, kReadSize)),
                            [self = this->shared_from_this()](error_code ec, std::size_t n) {
                              self->on_request_begun(ec, n);
                            });
  }

  void on_request_begun(error_code ec, std::size_t n) {
    if (ec) return close();  // gone, or idle for too long
    buffer_.commit(n);
    expires_after(shared_.options.header_timeout);
    read_header();
  }

  void on_header(error_code ec) {
    if (ec) return on_read_error(ec);
    expires_after(shared_.options.body_timeout);
    if (wire::expects_continue(*parser_)) {
      // curl holds back a body over 1 KiB for up to a second waiting for this.
      continue_ = http::response<http::empty_body>{http::status::continue_,
                                                   parser_->get().version()};
      return http::async_write(stream_, continue_, bind(&Session::on_continue_sent));
    }
    read_body();
  }

  void on_continue_sent(error_code ec) {
    if (ec) return close();
    read_body();
  }

  // Within the body deadline set when the header was complete.
  void read_body() { http::async_read(stream_, buffer_, *parser_, bind(&Session::on_body)); }

  void on_read_error(error_code ec) {
    if (ec == beast::error::timeout) {
      ++shared_.counters->request_timeouts;
      return close();
    }
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
    lowest().expires_never();
    awaiting_handler_ = true;
    in_exchange_ = true;
    ++shared_.exchanges;
    try {
      shared_.handler(std::move(req), make_responder());
    } catch (...) {
      // The dropped Responder answers 500.
    }
  }

  Responder make_responder() {
    auto completion =
        std::make_shared<Completion<Session>>(shared_.gate, this->weak_from_this());
    return [completion](HttpResponse r) { completion->complete(std::move(r)); };
  }

  void reply_and_close(HttpResponse r) {
    keep_alive_ = false;
    write(wire::build(std::move(r), version_, false, shared_.options.error_body));
  }

  // A client that does not take its answer is cut off like one that does
  // not send its body.
  void write(http::response<http::string_body> res) {
    res_ = std::move(res);
    expires_after(shared_.options.body_timeout);
    http::async_write(stream_, res_, bind(&Session::on_write));
  }

  void on_write(error_code ec) {
    end_exchange();
    if (ec) return close();
    if (!res_.keep_alive()) return linger();
    res_ = {};
    await_next_request();
  }

  void linger() {
    expires_after(kLingerTime);
    Transport::async_close_notify(stream_, [self = this->shared_from_this()](error_code ec) {
      if (ec) return self->close();
      self->buffer_.clear();
      self->discard();
    });
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
  const AddressKey address_;
  const bool counted_;  // holds a slot in Shared::per_address
  Stream stream_;
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
template <class Session>
class Completion {
 public:
  Completion(std::shared_ptr<Gate> gate, std::weak_ptr<Session> session)
      : gate_(std::move(gate)), session_(std::move(session)) {}
  Completion(const Completion&) = delete;
  Completion& operator=(const Completion&) = delete;

  ~Completion() {
    if (done_.load()) return;
    try {
      deliver(wire::error_response(TransportError::no_response,
                                   "the request was dropped without a response",
                                   gate_->error_body));
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

// Plain TCP: nothing to negotiate, and the end of what we send is a
// half-close.
struct PlainTransport {
  using Stream = beast::tcp_stream;

  template <class Handler>
  static void async_handshake(Stream&, Handler&& handler) {
    handler(error_code{});
  }

  template <class Handler>
  static void async_close_notify(Stream& stream, Handler&& handler) {
    error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    handler(ec);
  }
};

// http_server_tls.cpp, so that only it compiles Asio's SSL.
class TlsContext;
// Reads the certificate chain and key (PEM); errors say which file and why.
Result<std::shared_ptr<TlsContext>> load_tls_context(const std::string& cert_file,
                                                     const std::string& key_file);
std::shared_ptr<Connection> make_tls_session(Shared& shared, TlsContext& tls, tcp::socket socket,
                                             const AddressKey& address, bool counted);

}  // namespace backbeat::net::server

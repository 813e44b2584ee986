#pragma once
// A Beast sync stream over bytes in memory: reads hand out the input in
// chunks of a chosen size (so the parser meets every split a socket could
// make), writes are kept for inspection.
#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/system/system_error.hpp>

namespace backbeat::fuzz {

class ByteStream {
 public:
  ByteStream(std::string_view input, size_t chunk) : input_(input), chunk_(std::max<size_t>(1, chunk)) {}

  template <class MutableBuffers>
  size_t read_some(const MutableBuffers& buffers, boost::system::error_code& ec) {
    if (pos_ == input_.size()) {
      ec = boost::asio::error::eof;
      return 0;
    }
    ec = {};
    const size_t n = boost::asio::buffer_copy(
        buffers, boost::asio::buffer(input_.data() + pos_, std::min(chunk_, input_.size() - pos_)));
    pos_ += n;
    return n;
  }

  template <class ConstBuffers>
  size_t write_some(const ConstBuffers& buffers, boost::system::error_code& ec) {
    ec = {};
    const size_t before = written_.size();
    for (auto b : boost::beast::buffers_range_ref(buffers))
      written_.append(static_cast<const char*>(b.data()), b.size());
    return written_.size() - before;
  }

  // The throwing forms Beast's concepts also ask for.
  template <class MutableBuffers>
  size_t read_some(const MutableBuffers& buffers) {
    boost::system::error_code ec;
    const size_t n = read_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }
  template <class ConstBuffers>
  size_t write_some(const ConstBuffers& buffers) {
    boost::system::error_code ec;
    return write_some(buffers, ec);
  }

  // Everything written so far, taken.
  std::string take_written() { return std::exchange(written_, {}); }

 private:
  std::string_view input_;
  size_t chunk_;
  size_t pos_ = 0;
  std::string written_;
};

}  // namespace backbeat::fuzz

// prism/printable.h - text made safe to print on one line.
#pragma once

#include <string>
#include <string_view>

namespace prism {

/// `text` with every control byte (< 0x20 except tab, and 0x7f) written as \xNN, so a NUL byte
/// in input cannot cut a message short, a newline cannot split it, and an ESC byte in a stored
/// name cannot drive the terminal. prism::Error applies it to every message.
std::string Printable(std::string_view text);

}  // namespace prism

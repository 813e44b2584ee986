#pragma once
// One handler per event; each reads top-down: validate, load, apply.
#include "engine/txn.hpp"

namespace backbeat::engine {

Result<Reply> on_event(Txn& t, const ev::CreateWorkflow& e);
Result<Reply> on_event(Txn& t, const ev::Signal& e);
Result<Reply> on_event(Txn& t, const ev::AddDecisions& e);
Result<Reply> on_event(Txn& t, const ev::SetFlag& e);
Result<Reply> on_event(Txn& t, const ev::ClientStatusUpdate& e);
Result<Reply> on_event(Txn& t, const ev::Restart& e);
Result<Reply> on_event(Txn& t, const ev::Reset& e);
Result<Reply> on_event(Txn& t, const ev::ScheduleNode& e);
Result<Reply> on_event(Txn& t, const ev::TimerFired& e);
Result<Reply> on_event(Txn& t, const ev::CallbackOutcome& e);
Result<Reply> on_event(Txn& t, const ev::LinkUpdate& e);

}  // namespace backbeat::engine

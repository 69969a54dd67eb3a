//! Event sourcing's guarantees, as properties over random command sequences: the state loaded
//! from a snapshot and its tail equals the full replay, at every version; replaying the whole
//! store rebuilds every account; optimistic concurrency loses no update; a command id is handled
//! once; a projection fed every event once equals the replay, and rebuilt after a bug is fixed,
//! converges.

use eda_lab::sim::patterns::sourcing::account::{Account, BankCommand, Rejection};
use eda_lab::sim::patterns::sourcing::bank::{Bank, Handled};
use eda_lab::sim::patterns::sourcing::event::{AccountEvent, StoredEvent};
use eda_lab::sim::patterns::sourcing::projection::{Projection, ViewKind};
use eda_lab::sim::patterns::sourcing::store::{EventStore, ExpectedVersion};
use proptest::prelude::*;

const ACCOUNTS: u32 = 5;

#[derive(Clone, Debug)]
enum Op {
    /// A command on an account; `repeat` sends the id of an earlier command again.
    Command { account: u32, command: BankCommand, repeat: Option<usize> },
    /// The service switches the schema it writes deposits in.
    WriteV1(bool),
}

fn command() -> impl Strategy<Value = BankCommand> {
    prop_oneof![
        1 => (0i64..50_000).prop_map(|o| BankCommand::Open { overdraft_cents: o }),
        4 => (-100i64..100_000).prop_map(|a| BankCommand::Deposit { amount_cents: a }),
        3 => (1i64..120_000).prop_map(|a| BankCommand::Withdraw { amount_cents: a }),
        2 => (0..ACCOUNTS, 1i64..80_000).prop_map(|(to, a)| BankCommand::Transfer { to, amount_cents: a, transfer: 0 }),
        1 => (0u32..12).prop_map(|v| BankCommand::Correct { version: v }),
        1 => Just(BankCommand::Close),
    ]
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    let op = prop_oneof![
        12 => (0..ACCOUNTS, command(), prop::option::weighted(0.1, 0usize..1000))
            .prop_map(|(account, command, repeat)| Op::Command { account, command, repeat }),
        1 => any::<bool>().prop_map(Op::WriteV1),
    ];
    prop::collection::vec(op, 1..160)
}

/// Runs `ops` on a bank: every command handled at once, every transfer settled.
fn run(ops: &[Op], snapshot_every: u32) -> Bank {
    let mut bank = Bank::new(snapshot_every);
    let mut next_id = 0u64;
    for (i, op) in ops.iter().enumerate() {
        match *op {
            Op::WriteV1(v1) => bank.set_writes_v1(v1),
            Op::Command { account, command, repeat } => {
                let id = match repeat {
                    Some(r) if next_id > 0 => r as u64 % next_id,
                    _ => {
                        next_id += 1;
                        next_id - 1
                    }
                };
                let command = match command {
                    BankCommand::Transfer { to, amount_cents, .. } => {
                        BankCommand::Transfer { to, amount_cents, transfer: i as u64 }
                    }
                    c => c,
                };
                let (handled, _) = bank.handle(id, account, command, i as u64);
                if let Handled::Appended { position } = handled {
                    bank.settle_transfer(position, i as u64);
                }
            }
        }
    }
    bank
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Snapshot + tail equals full replay at every version of every stream, and replaying the
    /// whole store by position rebuilds every account's current state.
    #[test]
    fn snapshot_and_tail_equal_full_replay(ops in ops(), every in 0u32..6) {
        let bank = run(&ops, every);
        let store = bank.store();
        let all = store.replay_all();
        for account in store.stream_ids() {
            let v = store.version(account);
            for at in 0..=v {
                prop_assert_eq!(store.load_at(account, at), store.replay_at(account, at), "account {} at {}", account, at);
            }
            let live = bank.read(account);
            prop_assert_eq!(live.version, v);
            prop_assert_eq!(Some(&live), all.get(&account));
            prop_assert_eq!(live, Account::fold(account, &store.history(account)));
            // Withdrawals and transfers never take it below its overdraft; only a correction
            // (reversing a deposit already spent, as a chargeback does) may.
            let corrected = store.history(account).iter().any(|e| matches!(e, AccountEvent::Reversed { .. }));
            prop_assert!(corrected || live.balance_cents >= -live.overdraft_cents, "{:?}", live);
        }
        for account in store.stream_ids() {
            let expected = store.version(account).checked_div(every).unwrap_or(0);
            prop_assert_eq!(store.snapshots(account).len() as u32, expected);
        }
    }

    /// Money is neither made nor lost: the balances sum to what was deposited minus what was
    /// withdrawn, with every correction, and transfers (settled or refunded) net to zero.
    #[test]
    fn transfers_and_corrections_conserve_money(ops in ops()) {
        let bank = run(&ops, 3);
        let store = bank.store();
        let mut external = 0i64;
        for r in store.events() {
            external += match r.event() {
                AccountEvent::Deposited { amount_cents } => amount_cents,
                AccountEvent::Withdrawn { amount_cents } => -amount_cents,
                AccountEvent::Reversed { delta_cents, .. } => delta_cents,
                _ => 0,
            };
        }
        let total: i64 = store.replay_all().values().map(|a| a.balance_cents).sum();
        prop_assert_eq!(total, external);
    }

    /// A command id handled twice appends once; the second answer is the first's.
    #[test]
    fn a_repeated_command_appends_nothing(ops in ops()) {
        let mut bank = run(&ops, 0);
        let head = bank.store().head();
        let stats = bank.stats();
        for id in 0..stats.commands {
            let (_, repeated) = bank.handle(id, 0, BankCommand::Deposit { amount_cents: 1 }, 0);
            prop_assert!(repeated);
        }
        prop_assert_eq!(bank.store().head(), head);
    }

    /// Two handlers race on one account: each reads, then writes expecting what it read. The
    /// loser is refused, reads again and decides again, so no update is lost and no withdrawal
    /// spends money another already took.
    #[test]
    fn optimistic_concurrency_loses_no_update(amounts in prop::collection::vec((1i64..60_000, any::<bool>()), 2..40)) {
        let mut bank = Bank::new(0);
        bank.handle(0, 7, BankCommand::Open { overdraft_cents: 0 }, 0);
        bank.handle(1, 7, BankCommand::Deposit { amount_cents: 100_000 }, 0);
        let mut id = 2;
        for pair in amounts.chunks(2) {
            // Both read before either writes.
            let seen: Vec<Account> = pair.iter().map(|_| bank.read(7)).collect();
            for (&(amount, withdraw), seen) in pair.iter().zip(seen) {
                let command = if withdraw { BankCommand::Withdraw { amount_cents: amount } } else { BankCommand::Deposit { amount_cents: amount } };
                let mut state = seen;
                loop {
                    match bank.write(id, &state, command, 0) {
                        Ok(_) => break,
                        Err(conflict) => {
                            prop_assert_eq!(conflict.expected, state.version);
                            state = bank.read(7);
                        }
                    }
                }
                id += 1;
            }
        }
        let live = bank.read(7);
        let sum: i64 = bank.store().history(7).iter().map(|e| e.balance_delta()).sum();
        prop_assert_eq!(live.balance_cents, sum);
        prop_assert!(live.balance_cents >= 0);
        prop_assert_eq!(live.version as u64, bank.store().head());
    }

    /// A projection given every event once, in order, equals the replay; given one event twice
    /// it is off by that event's amount; with its bug it is wrong, and rebuilt from position 0
    /// once fixed it equals the replay again.
    #[test]
    fn projections_converge_and_rebuild(ops in ops(), dup in any::<prop::sample::Index>()) {
        let bank = run(&ops, 4);
        let store = bank.store();
        let truth = store.replay_all();
        for kind in [ViewKind::Balance, ViewKind::Statement] {
            let mut view = Projection::new(kind);
            view.bug = true;
            store.events().iter().for_each(|r| view.apply(r));
            view.bug = false;
            view.reset();
            store.events().iter().for_each(|r| view.apply(r));
            prop_assert_eq!(view.checkpoint, store.head());
            for (id, a) in &truth {
                prop_assert_eq!(view.balance(*id), a.balance_cents);
                prop_assert_eq!(view.version(*id), a.version);
            }
            if !store.events().is_empty() {
                let r = store.events()[dup.index(store.events().len())];
                view.apply(&r);
                let delta = r.event().balance_delta();
                prop_assert_eq!(view.balance(r.stream), truth[&r.stream].balance_cents + delta);
            }
        }
    }
}

#[test]
fn a_v1_deposit_stays_v1_in_the_store_and_reads_as_cents() {
    let mut bank = Bank::new(0);
    bank.handle(0, 1, BankCommand::Open { overdraft_cents: 0 }, 0);
    bank.set_writes_v1(true);
    bank.handle(1, 1, BankCommand::Deposit { amount_cents: 12_500 }, 1);
    bank.handle(2, 1, BankCommand::Deposit { amount_cents: 1_050 }, 2); // not whole units: v2
    bank.set_writes_v1(false);
    bank.handle(3, 1, BankCommand::Deposit { amount_cents: 300 }, 3);
    let stored: Vec<StoredEvent> = bank.store().stream(1).map(|r| r.stored).collect();
    assert_eq!(stored[1], StoredEvent::DepositedV1 { amount: 125 });
    assert_eq!(stored[2], StoredEvent::Current(AccountEvent::Deposited { amount_cents: 1_050 }));
    assert_eq!(stored[3].schema_version(), 2);
    assert_eq!(bank.read(1).balance_cents, 12_500 + 1_050 + 300);
}

#[test]
fn a_correction_is_a_new_event_and_only_once() {
    let mut bank = Bank::new(0);
    bank.handle(0, 1, BankCommand::Open { overdraft_cents: 0 }, 0);
    bank.handle(1, 1, BankCommand::Deposit { amount_cents: 5_000 }, 0);
    let (h, _) = bank.handle(2, 1, BankCommand::Correct { version: 2 }, 0);
    assert!(matches!(h, Handled::Appended { .. }));
    assert_eq!(
        bank.store().history(1)[1],
        AccountEvent::Deposited { amount_cents: 5_000 },
        "the deposit stays in the trail"
    );
    assert_eq!(bank.read(1).balance_cents, 0);
    let (again, _) = bank.handle(3, 1, BankCommand::Correct { version: 2 }, 0);
    assert_eq!(again, Handled::Rejected { rejection: Rejection::NotCorrectable { version: 2 } });
    let (opened, _) = bank.handle(4, 1, BankCommand::Correct { version: 1 }, 0);
    assert_eq!(opened, Handled::Rejected { rejection: Rejection::NotCorrectable { version: 1 } });
}

#[test]
fn a_transfer_to_a_closed_account_is_refunded() {
    let mut bank = Bank::new(0);
    bank.handle(0, 1, BankCommand::Open { overdraft_cents: 0 }, 0);
    bank.handle(1, 2, BankCommand::Open { overdraft_cents: 0 }, 0);
    bank.handle(2, 2, BankCommand::Close, 0);
    bank.handle(3, 1, BankCommand::Deposit { amount_cents: 900 }, 0);
    let (h, _) = bank.handle(4, 1, BankCommand::Transfer { to: 2, amount_cents: 400, transfer: 9 }, 0);
    let Handled::Appended { position } = h else { panic!("{h:?}") };
    let refund = bank.settle_transfer(position, 1).expect("a refund");
    assert_eq!(bank.store().get(refund).unwrap().stream, 1);
    assert_eq!(bank.settle_transfer(position, 2), None, "settled once");
    assert_eq!(bank.read(1).balance_cents, 900);
    assert_eq!(bank.read(2).balance_cents, 0);
    assert_eq!(bank.stats().refunds, 1);
}

#[test]
fn an_append_behind_the_stream_is_refused() {
    let mut store = EventStore::new(0);
    let e = StoredEvent::Current(AccountEvent::Opened { overdraft_cents: 0 });
    assert_eq!(store.append(3, ExpectedVersion::Exact(0), e, 0, 0), Ok(0));
    let err = store.append(3, ExpectedVersion::Exact(0), e, 0, 1).unwrap_err();
    assert_eq!((err.expected, err.actual), (0, 1));
    assert_eq!(store.head(), 1);
}

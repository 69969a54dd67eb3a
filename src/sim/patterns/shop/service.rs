//! The shop as the engine runs it. Each client arrival on a product (the producer's key) is one
//! command to the write side, drawn from the seed's own stream, followed by a number of shoppers
//! browsing the catalogue: the read load, far larger than the write load and served by the
//! catalogue views alone. Each subscriber of the log builds one read model (subscriber 1 the
//! orders view, every other a catalogue), fed by its consumers each time they apply an effect.
//!
//! A read is stale when the view it is served from has not yet applied every event of the
//! product: its age is the time since the first event the view is missing was committed. A
//! stale read can show units that are gone (the shopper's order will be refused) or an old
//! price. Adding consumers to the read side shortens the lag; the write side never sees a read.

use super::event::{ProductId, ShopRecord};
use super::inventory::{Inventory, ShopCommand, WriteStats};
use super::views::{ShopView, ShopViewKind};
use crate::sim::ids::MessageId;
use crate::sim::kernel::histogram::Histogram;
use crate::sim::kernel::rng::{Rng, Stream};
use serde::Serialize;

/// The most events the shop publishes in one run (its tables and what the views must be checked
/// against grow with them): past it the write side refuses commands.
pub const MAX_EVENTS: u64 = 200_000;

/// The shop's sizes, from the scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShopShape {
    pub customers: u32,
    /// Units a product is listed with, and a restock adds.
    pub stock: u32,
    /// Catalogue reads per client arrival.
    pub reads_per_write: u32,
}

/// One subscriber's read model, with a copy fed each event once (what the view would hold had
/// nothing been delivered twice).
#[derive(Clone, Debug)]
pub struct ShopReadModel {
    pub view: ShopView,
    pub once: ShopView,
    /// Which positions the view has applied at least once.
    seen: Vec<bool>,
    /// Commit-to-apply times, in microseconds.
    pub staleness: Histogram,
    pub applied: u64,
    pub applied_twice: u64,
    /// Positions applied at least once.
    pub distinct: u64,
}

impl ShopReadModel {
    fn new(kind: ShopViewKind) -> Self {
        let view = ShopView::new(kind);
        ShopReadModel {
            once: view.clone(),
            view,
            seen: Vec::new(),
            staleness: Histogram::new(),
            applied: 0,
            applied_twice: 0,
            distinct: 0,
        }
    }

    /// Products (catalogue) or customers (orders) the view has wrong: different from what it would
    /// hold had it applied each event once.
    pub fn wrong(&self) -> Vec<u32> {
        match self.view.kind {
            ShopViewKind::Catalogue => {
                let once = |id| self.once.products.get(id).map(|e| e.product);
                self.view.products.iter().filter(|(id, e)| once(id) != Some(e.product)).map(|(&id, _)| id).collect()
            }
            ShopViewKind::Orders => {
                let once = |id| self.once.customers.get(id).copied();
                self.view.customers.iter().filter(|(id, c)| once(id) != Some(**c)).map(|(&id, _)| id).collect()
            }
        }
    }
}

/// What the shoppers' reads found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ReadStats {
    pub reads: u64,
    /// Reads served from a view missing some of the product's events.
    pub stale: u64,
    /// Reads that showed units in stock when the write side had none left.
    pub phantom_stock: u64,
    /// Reads that showed a price the write side had changed.
    pub old_price: u64,
}

#[derive(Clone, Debug, Default)]
pub struct ShopService {
    inventory: Inventory,
    rng: Option<Rng>,
    /// The shoppers' draws: apart from the commands', so the read load changes no write.
    readers: Option<Rng>,
    shape: Option<ShopShape>,
    /// Each published event's message and position, in creation order (both ascending).
    published: Vec<(MessageId, u64)>,
    views: Vec<ShopReadModel>,
    pub reads: ReadStats,
    /// Every read's age (0 when fresh), in microseconds.
    pub read_age: Histogram,
    /// Commands refused because the shop published its most events.
    pub full: u64,
    /// The catalogue view the next read goes to (reads go round the catalogues).
    next_catalogue: usize,
}

impl ShopService {
    /// The shop of a run with `subscribers` read models (none when the shop is off).
    pub fn new(shape: Option<ShopShape>, seed: u64, subscribers: usize) -> Self {
        let Some(shape) = shape else { return ShopService::default() };
        let kind = |i| if i == 1 { ShopViewKind::Orders } else { ShopViewKind::Catalogue };
        ShopService {
            rng: Some(Rng::for_stream(seed, Stream::Shop)),
            readers: Some(Rng::for_stream(seed, Stream::ShopReads)),
            shape: Some(shape),
            views: (0..subscribers).map(|i| ShopReadModel::new(kind(i))).collect(),
            ..ShopService::default()
        }
    }

    pub fn inventory(&self) -> &Inventory {
        &self.inventory
    }

    pub fn stats(&self) -> WriteStats {
        self.inventory.stats()
    }

    pub fn views(&self) -> &[ShopReadModel] {
        &self.views
    }

    pub fn shape(&self) -> Option<ShopShape> {
        self.shape
    }

    /// One client arrival on `product` (of `products`) at `at_us`: a command to the write side,
    /// then the shoppers' reads. The position of the event published, or `None` when the command
    /// was refused (nothing to publish).
    pub fn write(&mut self, product: ProductId, products: u32, at_us: u64) -> Option<u64> {
        let (Some(shape), Some(rng)) = (self.shape, self.rng.as_mut()) else { return None };
        let command = draw(rng, &self.inventory, product, shape);
        let published = if self.inventory.records().len() as u64 >= MAX_EVENTS {
            self.full += 1;
            None
        } else {
            self.inventory.handle(product, command, at_us).ok()
        };
        for _ in 0..shape.reads_per_write {
            self.read(products, at_us);
        }
        published
    }

    /// A shopper looks at one product in a catalogue view.
    fn read(&mut self, products: u32, at_us: u64) {
        let Some(rng) = self.readers.as_mut() else { return };
        let product = rng.below(products.max(1));
        let catalogues = self.views.iter().filter(|m| m.view.kind == ShopViewKind::Catalogue).count();
        if catalogues == 0 {
            return;
        }
        let i = self.next_catalogue % catalogues;
        self.next_catalogue = (i + 1) % catalogues;
        let Some(m) = self.views.iter().filter(|m| m.view.kind == ShopViewKind::Catalogue).nth(i) else { return };
        let seen = m.view.products.get(&product).map(|e| e.product).unwrap_or_default();
        let truth = self.inventory.product(product);
        self.reads.reads += 1;
        let age = match self.inventory.after(product, seen.version) {
            Some(missing) => {
                self.reads.stale += 1;
                at_us.saturating_sub(missing.at_us)
            }
            None => 0,
        };
        self.read_age.record(age);
        self.reads.phantom_stock += u64::from(seen.listed && seen.stock > 0 && truth.stock <= 0);
        self.reads.old_price += u64::from(seen.listed && seen.price_cents != truth.price_cents);
    }

    /// `msg` carries the event at `position`.
    pub fn published(&mut self, msg: MessageId, position: u64) {
        self.published.push((msg, position));
    }

    /// The event `msg` carries, if it carries one.
    pub fn record_of(&self, msg: MessageId) -> Option<&ShopRecord> {
        let i = self.published.binary_search_by_key(&msg, |&(m, _)| m).ok()?;
        self.published.get(i).and_then(|&(_, p)| self.inventory.get(p))
    }

    /// Subscriber `subscriber`'s consumer applied `msg` to its view at `now_us`.
    pub fn project(&mut self, subscriber: usize, msg: MessageId, now_us: u64) {
        let Some(r) = self.record_of(msg).copied() else { return };
        let Some(m) = self.views.get_mut(subscriber) else { return };
        m.view.apply(&r);
        m.applied += 1;
        m.staleness.record(now_us.saturating_sub(r.at_us));
        let i = r.position as usize;
        if m.seen.len() <= i {
            m.seen.resize(i + 1, false);
        }
        if m.seen[i] {
            m.applied_twice += 1;
        } else {
            m.seen[i] = true;
            m.distinct += 1;
            m.once.apply(&r);
        }
    }

    /// How many of the shop's events subscriber `subscriber` has not applied yet (every view
    /// consumes every event; the orders view passes over those that are not about orders).
    pub fn behind(&self, subscriber: usize) -> u64 {
        let Some(m) = self.views.get(subscriber) else { return 0 };
        (self.inventory.records().len() as u64).saturating_sub(m.distinct)
    }
}

/// The next command on `product`: the merchant lists it first; then mostly orders, some
/// cancellations, restocks and price changes.
fn draw(rng: &mut Rng, inventory: &Inventory, product: ProductId, shape: ShopShape) -> ShopCommand {
    let p = inventory.product(product);
    if !p.listed {
        return ShopCommand::List { price_cents: i64::from(5 + rng.below(96)) * 100, stock: shape.stock };
    }
    match rng.below(100) {
        0..=79 => ShopCommand::PlaceOrder { customer: rng.below(shape.customers.max(1)), qty: 1 + rng.below(3) },
        80..=87 => match inventory.open_orders(product) {
            [] => ShopCommand::Restock { qty: shape.stock.max(1) },
            open => ShopCommand::CancelOrder { order: open[rng.below(open.len() as u32) as usize] },
        },
        88..=95 => ShopCommand::Restock { qty: shape.stock.max(1) },
        _ => {
            // A change of up to a tenth either way, never below a unit of currency.
            let step = (p.price_cents / 10).max(1);
            let delta = i64::from(rng.below(21)) - 10;
            ShopCommand::ChangePrice { price_cents: (p.price_cents + delta * step / 10).max(100) }
        }
    }
}

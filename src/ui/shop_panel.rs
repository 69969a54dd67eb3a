//! CQRS for the shop, the guide's e-commerce case (`shop.enabled`): what happened to each event
//! and why. The write side (commands, events published, orders, refusals), which never serves a
//! read; the shoppers' reads against it (how many per write, how many stale, how many showed stock
//! already sold or an old price, how old); one row per read model (consumers, events applied, how
//! far behind the write side, staleness, events applied twice, products or customers wrong); and
//! every product's price and stock on the write side beside each catalogue view's.
//!
//! The panel only reads the run; the settings that change it (idempotency, consumers) are the
//! settings drawer's.

use super::run::RunAction;
use super::runtime::RtHandle;
use super::sourcing_account::money;
use super::sourcing_panel::{ms, view_name};
use crate::sim::kernel::numfmt::Fixed;
use crate::sim::patterns::shop::event::{Product, ProductId};
use crate::sim::patterns::shop::service::{ShopReadModel, ShopService};
use crate::sim::patterns::shop::views::ShopViewKind;
use crate::sim::Simulation;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ShopProps {
    pub rt: RtHandle,
    pub version: u64,
    pub on_run: Callback<RunAction>,
}

/// Most ids listed in a view's "wrong" cell; the rest are counted.
const LISTED: usize = 6;

#[function_component(ShopPanel)]
pub fn shop_panel(props: &ShopProps) -> Html {
    let rt = props.rt.0.borrow();
    let sim = &rt.sim;
    let shop = sim.shop();
    let names: Vec<String> = (0..shop.views().len()).map(|k| view_name(sim, k)).collect();
    html! {
        <section class="panel shop" aria-labelledby="shop-h">
            <h2 id="shop-h">{"CQRS: the shop's write and read sides"}</h2>
            <p class="panel-note">{"The service is a shop whose products are the producer's keys. Each client arrival is one command to the write side (list a product, place or cancel an order, restock, change a price), followed by shoppers browsing the catalogue. Each subscriber builds a read model from the write side's events: a catalogue, or each customer's orders."}</p>
            { write_side(shop) }
            { read_load(shop) }
            { read_models(sim, &names) }
            { products(shop, &names) }
        </section>
    }
}

/// Cents as euros, e.g. `€12.50` (`-€1.00` below zero).
fn euros(cents: i64) -> String {
    let m = money(cents);
    match m.strip_prefix('-') {
        Some(abs) => format!("-€{abs}"),
        None => format!("€{m}"),
    }
}

/// The write side's counters.
fn write_side(shop: &ShopService) -> Html {
    let s = shop.stats();
    html! {
        <>
            <h3>{"Write side: commands and events"}</h3>
            <dl class="txn-stats shop-stats" data-testid="shop-write">
                <div><dt>{"commands"}</dt><dd data-testid="shop-commands">{s.commands}</dd></div>
                <div title="One event per change, keyed by its product"><dt>{"events published"}</dt><dd data-testid="shop-published">{s.published}</dd></div>
                <div><dt>{"orders placed"}</dt><dd data-testid="shop-orders">{s.orders}</dd></div>
                <div><dt>{"orders cancelled"}</dt><dd data-testid="shop-cancelled">{s.cancelled}</dd></div>
                <div title="An order for more units than the write side has left: refused, nothing published">
                    <dt>{"refused, out of stock"}</dt><dd data-testid="shop-out-of-stock">{s.out_of_stock}</dd></div>
                <div title="A command that made no sense against the tables (a cancellation of an order already cancelled, say)">
                    <dt>{"other refusals"}</dt><dd>{s.refused}</dd></div>
                if shop.full > 0 { <div><dt>{"refused, shop full"}</dt><dd>{shop.full}</dd></div> }
            </dl>
            <p class="help">{"Only the write side decides: it checks each command against its products and orders, publishes one event per change and refuses an order for more units than are left (nothing is published). It never serves a read: shoppers browse the catalogue views."}</p>
        </>
    }
}

/// The shoppers' reads: how many against the writes, and what the stale ones showed.
fn read_load(shop: &ShopService) -> Html {
    let r = shop.reads;
    let published = shop.stats().published;
    let per_write = shop.shape().map_or(0, |s| s.reads_per_write);
    let pct = |n: u64| if r.reads == 0 { 0.0 } else { n as f64 * 100.0 / r.reads as f64 };
    let per_event = if published == 0 {
        String::new()
    } else {
        format!(" ({} per event published)", Fixed(r.reads as f64 / published as f64, 1))
    };
    html! {
        <>
            <h3>{"Read load against write load"}</h3>
            <dl class="txn-stats shop-stats" data-testid="shop-read">
                <div><dt>{"catalogue reads"}</dt><dd data-testid="shop-reads">{r.reads}</dd></div>
                <div><dt>{"reads per command"}</dt><dd>{format!("{per_write}{per_event}")}</dd></div>
                <div title="Served by a view that had not yet applied every event of the product">
                    <dt>{"stale reads"}</dt><dd><span data-testid="shop-stale">{r.stale}</span>{format!(" ({}%)", Fixed(pct(r.stale), 1))}</dd></div>
                <div title="The view showed units in stock; the write side had none left, so an order would be refused">
                    <dt>{"showed stock already sold"}</dt><dd data-testid="shop-phantom">{r.phantom_stock}</dd></div>
                <div title="The view showed a price the write side had changed">
                    <dt>{"showed an old price"}</dt><dd data-testid="shop-old-price">{r.old_price}</dd></div>
                <div title="Every read's age, 0 when fresh"><dt>{"read age p50"}</dt><dd>{ms(&shop.read_age, 0.5)}</dd></div>
                <div><dt>{"read age p99"}</dt><dd>{ms(&shop.read_age, 0.99)}</dd></div>
            </dl>
            <p class="help">{"Reads go round the catalogue views, never to the write side. A read is stale when its view has not yet applied every event of the product; its age is the time since the write side published the first event the view misses (0 when fresh). A stale read can show units already sold or a price that has changed."}</p>
        </>
    }
}

/// A view's "wrong" cell: a tick, or how many and which.
fn wrong_cell(m: &ShopReadModel, wrong: &[u32]) -> Html {
    if wrong.is_empty() {
        return html! { <td>{"✓ 0"}</td> };
    }
    let what = match m.view.kind {
        ShopViewKind::Catalogue => "product",
        ShopViewKind::Orders => "customer",
    };
    let mut ids: Vec<String> = wrong.iter().take(LISTED).map(u32::to_string).collect();
    if wrong.len() > LISTED {
        ids.push("…".into());
    }
    html! { <td class="es-bad">{format!("✗ {}: {what} {}", wrong.len(), ids.join(", "))}</td> }
}

/// One row per read model.
fn read_models(sim: &Simulation, names: &[String]) -> Html {
    let shop = sim.shop();
    let rows = shop.views().iter().zip(names).enumerate().map(|(k, (m, name))| {
        let wrong = m.wrong();
        let behind = shop.behind(k);
        let kind = match m.view.kind {
            ShopViewKind::Catalogue => "catalogue",
            ShopViewKind::Orders => "orders",
        };
        let consumers = sim.scenario().consumers_of(u8::try_from(k).unwrap_or(u8::MAX));
        html! {
            <tr data-testid={format!("shop-view-{k}")} data-wrong={wrong.len().to_string()} data-behind={behind.to_string()} data-twice={m.applied_twice.to_string()}>
                <th scope="row">{name.clone()}</th>
                <td>{kind}</td>
                <td class="num">{consumers}</td>
                <td class="num">{m.applied}</td>
                <td class={classes!("num", (behind > 0).then_some("es-late"))}>{behind}</td>
                <td class="num">{ms(&m.staleness, 0.5)}</td>
                <td class="num">{ms(&m.staleness, 0.99)}</td>
                <td class={classes!("num", (m.applied_twice > 0).then_some("es-bad"))}>{m.applied_twice}</td>
                { wrong_cell(m, &wrong) }
            </tr>
        }
    });
    html! {
        <>
            <h3 id="shop-views-h">{"Read side: one read model per subscriber"}</h3>
            <div class="dlq-scroll" tabindex="0" role="region" aria-labelledby="shop-views-h">
                <table class="dlq-table es-table es-open-end" data-testid="shop-views">
                    <thead><tr>
                        <th scope="col">{"Read model"}</th><th scope="col">{"Kind"}</th>
                        <th scope="col" class="num">{"Consumers"}</th>
                        <th scope="col" class="num" title="Events applied, repeats included">{"Applied"}</th>
                        <th scope="col" class="num" title="Events the write side published that the view has not applied yet">{"Behind"}</th>
                        <th scope="col" class="num">{"Staleness p50"}</th><th scope="col" class="num">{"Staleness p99"}</th>
                        <th scope="col" class="num">{"Applied twice"}</th><th scope="col">{"Wrong"}</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            <p class="help">{"Every view consumes every event (the orders view passes over those that are not orders). Staleness is the time from an event's publication to its application in the view. A view is wrong on a product or a customer when it differs from what it would hold had it applied each event once: a consumer crashed after applying an event and before committing its offset, the event was delivered again and applied again, and an order took its units twice. With idempotency dedup_atomic each event is applied once."}</p>
        </>
    }
}

/// A product as one catalogue view has it (price, stock), and how it stands against the write
/// side's `truth`: the same, behind, or wrong.
fn view_cells(m: &ShopReadModel, wrong: &[u32], id: ProductId, truth: Product) -> Html {
    let seen = m.view.products.get(&id).map(|e| e.product).unwrap_or_default();
    let (bad, late) = (wrong.contains(&id), truth.version.saturating_sub(seen.version));
    let mark = match (bad, late) {
        (true, 0) => "✗ wrong".to_string(),
        (true, n) => format!("✗ wrong, ◷ {n} behind"),
        (false, 0) => "✓ same".to_string(),
        (false, n) => format!("◷ {n} behind"),
    };
    let class = classes!("shop-mark", bad.then_some("es-bad"), (!bad && late > 0).then_some("es-late"));
    let shown = |v: String| if seen.listed { v } else { "–".to_string() };
    html! {
        <>
            <td class="num shop-first">{shown(euros(seen.price_cents))}</td>
            <td class="num">{shown(seen.stock.to_string())}</td>
            <td {class}>{mark}</td>
        </>
    }
}

/// Every product on the write side beside each catalogue view, marked when a view is behind or
/// wrong.
fn products(shop: &ShopService, names: &[String]) -> Html {
    let catalogues: Vec<(&ShopReadModel, &String, Vec<u32>)> = shop
        .views()
        .iter()
        .zip(names)
        .filter(|(m, _)| m.view.kind == ShopViewKind::Catalogue)
        .map(|(m, n)| (m, n, m.wrong()))
        .collect();
    let rows = shop.inventory().products().map(|(id, truth)| {
        let cells = catalogues.iter().map(|(m, _, wrong)| view_cells(m, wrong, id, truth));
        html! {
            <tr data-product={id.to_string()}>
                <th scope="row">{format!("product {id}")}</th>
                <td class="num">{truth.version}</td>
                <td class="num">{euros(truth.price_cents)}</td>
                <td class="num">{truth.stock}</td>
                { for cells }
            </tr>
        }
    });
    let heads = catalogues.iter().map(|(_, n, _)| {
        html! {
            <>
                <th scope="col" class="num shop-first">{format!("{n}: price")}</th>
                <th scope="col" class="num">{format!("{n}: stock")}</th>
                <th scope="col">{format!("{n}: state")}</th>
            </>
        }
    });
    html! {
        <>
            <h3 id="shop-products-h">{"Products: the write side beside each catalogue"}</h3>
            <div class="dlq-scroll" tabindex="0" role="region" aria-labelledby="shop-products-h">
                <table class="dlq-table es-table es-open-end" data-testid="shop-products">
                    <thead><tr>
                        <th scope="col">{"Product"}</th>
                        <th scope="col" class="num" title="The product's events on the write side">{"Version"}</th>
                        <th scope="col" class="num">{"Price (write side)"}</th><th scope="col" class="num">{"Stock (write side)"}</th>
                        { for heads }
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            <p class="help">{"✓ same: the view has applied every event of the product. ◷ N behind: N of its events not applied yet, so the view shows the product as it was. ✗ wrong: the view's price or stock differs from what applying each event once would give (an order applied twice took its units twice)."}</p>
        </>
    }
}

import { Component, onWillStart, onMounted, onWillUnmount, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { _t } from "@web/core/l10n/translation";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

const REFRESH_MS = 30000;
const STATE_LABELS = {
    generated: _t("Generated"),
    signed: _t("Signed"),
    submitted: _t("Submitted"),
    accepted: _t("Accepted"),
    rejected: _t("Rejected"),
    error: _t("Error"),
};

/**
 * Hacienda dashboard: KPI cards, bar charts (documents by state, top error codes, retry
 * queue by category), running bulk operations and quick actions. Every figure comes from
 * `l10n_cr.einvoice.document.get_dashboard_statistics` (computed by hacienda_cr helpers);
 * the data refreshes every 30 s (every 3 s while a bulk operation runs) without a reload.
 */
export class HaciendaDashboard extends Component {
    static template = "l10n_cr_einvoice.HaciendaDashboard";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ stats: null, loading: true, updatedAt: null });
        onWillStart(() => this.load());
        onMounted(() => this.schedule());
        onWillUnmount(() => clearTimeout(this.timer));
    }

    schedule() {
        const running = this.state.stats && this.state.stats.jobs.length > 0;
        this.timer = setTimeout(async () => {
            await this.load();
            this.schedule();
        }, running ? 3000 : REFRESH_MS);
    }

    async load() {
        this.state.loading = true;
        this.state.stats = await this.orm.call(
            "l10n_cr.einvoice.document",
            "get_dashboard_statistics",
            []
        );
        this.state.loading = false;
        this.state.updatedAt = new Date().toLocaleTimeString();
    }

    get stateBars() {
        const byState = this.state.stats.by_state;
        const max = Math.max(1, ...Object.values(byState));
        return Object.keys(STATE_LABELS).map((key) => ({
            key,
            label: STATE_LABELS[key],
            value: byState[key] || 0,
            width: Math.round((100 * (byState[key] || 0)) / max),
        }));
    }

    get codeBars() {
        const codes = this.state.stats.responses.top_error_codes;
        const max = Math.max(1, ...codes.map((c) => c.count));
        return codes.map((c) => ({ ...c, width: Math.round((100 * c.count) / max) }));
    }

    get categoryBars() {
        const byCat = this.state.stats.queue.by_category;
        const max = Math.max(1, ...Object.values(byCat));
        return Object.entries(byCat).map(([key, value]) => ({
            key,
            value,
            width: Math.round((100 * value) / max),
        }));
    }

    formatRate(rate) {
        return rate === null || rate === undefined ? "—" : `${rate}%`;
    }

    formatSeconds(seconds) {
        if (!seconds) {
            return "—";
        }
        if (seconds < 120) {
            return `${Math.round(seconds)} s`;
        }
        if (seconds < 7200) {
            return `${Math.round(seconds / 60)} min`;
        }
        return `${(seconds / 3600).toFixed(1)} h`;
    }

    openDocuments(domain, name) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name,
            res_model: "l10n_cr.einvoice.document",
            views: [
                [false, "list"],
                [false, "form"],
            ],
            domain,
        });
    }

    openState(key) {
        this.openDocuments([["state", "=", key]], STATE_LABELS[key]);
    }

    openAttention() {
        this.openDocuments([["needs_attention", "=", true]], _t("Needs attention"));
    }

    openAction(xmlId) {
        this.action.doAction(xmlId);
    }

    openJob(id) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "l10n_cr.einvoice.bulk.job",
            res_id: id,
            views: [[false, "form"]],
        });
    }
}

registry.category("actions").add("l10n_cr_einvoice.hacienda_dashboard", HaciendaDashboard);

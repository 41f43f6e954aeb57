import { Component, onMounted, onWillUnmount } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

const POLL_MS = 2000;

/**
 * Form widget of a bulk operation: while the job is queued or running (in the triggered
 * cron), reload the record every 2 s so done / remaining / failed and the progress bar move
 * without reloading the page.
 */
export class BulkJobPoller extends Component {
    static template = "l10n_cr_einvoice.BulkJobPoller";
    static props = { ...standardWidgetProps };

    setup() {
        onMounted(() => {
            this.timer = setInterval(() => this.tick(), POLL_MS);
        });
        onWillUnmount(() => clearInterval(this.timer));
    }

    get running() {
        return ["queued", "running"].includes(this.props.record.data.state);
    }

    async tick() {
        if (this.running && !this.props.record.dirty) {
            await this.props.record.load();
        }
    }
}

registry.category("view_widgets").add("l10n_cr_bulk_job_poller", { component: BulkJobPoller });

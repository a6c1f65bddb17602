/* Line charts of double data (loss curves), with an optional logarithmic
 * y axis and a horizontal reference line such as the exact optimum. */
#include <math.h>
#include <string.h>
#include "draw_internal.h"

enum { CHART_LEFT = 66, CHART_TOP = 34, CHART_RIGHT = 14,
       CHART_BOTTOM = 46, LEGEND_WIDTH = 150, LEGEND_MAX = 16 };

void xt_chart_options_init(xt_chart_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->width = 640;
    opt->height = 360;
}

/* The value drawn for y: log10(y) on a log axis.  Returns 0 when the
 * point cannot be drawn. */
static int chart_value(double *out, double y, int log_y)
{
    if (!isfinite(y) || (log_y && !(y > 0)))
        return 0;
    *out = log_y ? log10(y) : y;
    return 1;
}

/* Finds the ranges of the drawable points.  Returns 0 when there are
 * none. */
static int chart_ranges(xt_plot_area *a, const xt_chart_series *series,
                        int count, const xt_chart_options *opt)
{
    int any = 0;
    double v;
    for (int s = 0; s < count; s++)
        for (long i = 0; i < series[s].count; i++) {
            double x = series[s].x[i];
            if (!isfinite(x) || !chart_value(&v, series[s].y[i], opt->log_y))
                continue;
            if (!any || x < a->xlo)
                a->xlo = x;
            if (!any || x > a->xhi)
                a->xhi = x;
            if (!any || v < a->ylo)
                a->ylo = v;
            if (!any || v > a->yhi)
                a->yhi = v;
            any = 1;
        }
    if (any && opt->has_reference &&
        chart_value(&v, opt->reference, opt->log_y)) {
        a->ylo = v < a->ylo ? v : a->ylo;
        a->yhi = v > a->yhi ? v : a->yhi;
    }
    if (!any)
        return 0;
    if (a->xhi == a->xlo) {
        a->xlo -= 1;
        a->xhi += 1;
    }
    double pad = a->yhi > a->ylo ? (a->yhi - a->ylo) / 20 : 1;
    a->ylo -= pad;
    a->yhi += pad;
    return 1;
}

static void draw_series(FILE *stream, const xt_plot_area *a,
                        const xt_chart_series *s, const char *colour,
                        int log_y)
{
    int pen_down = 0;
    double v;
    fprintf(stream, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
            "stroke-opacity=\"0.85\" d=\"", colour);
    for (long i = 0; i < s->count; i++) {
        if (!isfinite(s->x[i]) || !chart_value(&v, s->y[i], log_y)) {
            pen_down = 0;
            continue;
        }
        fprintf(stream, pen_down ? " L" : "M");
        xt_svg_num(stream, xt_plot_x(a, s->x[i]));
        fprintf(stream, " ");
        xt_svg_num(stream, xt_plot_y(a, v));
        pen_down = 1;
    }
    fprintf(stream, "\"/>\n");
}

static void log_tick(FILE *stream, const xt_plot_area *a, double e,
                     const char *label)
{
    double y = xt_plot_y(a, e);
    fprintf(stream, "<line x1=\"");
    xt_svg_num(stream, a->left);
    fprintf(stream, "\" y1=\"");
    xt_svg_num(stream, y);
    fprintf(stream, "\" x2=\"");
    xt_svg_num(stream, a->left + a->width);
    fprintf(stream, "\" y2=\"");
    xt_svg_num(stream, y);
    fprintf(stream, "\" stroke=\"#000000\" stroke-opacity=\"0.12\"/>\n");
    xt_svg_text(stream, a->left - 5, y + 4, "end", 11, label);
}

/* Draws grid lines and labels on a log axis: at powers of ten when the
 * range contains two or more of them, else at round values in between. */
static void log_axis(FILE *stream, const xt_plot_area *a)
{
    char label[32];
    double first = ceil(a->ylo), last = floor(a->yhi);
    if (last > first) {
        double step = last - first > 8 ? ceil((last - first) / 8) : 1;
        for (double e = first; e <= last; e += step) {
            snprintf(label, sizeof label, "1e%.0f", e);
            log_tick(stream, a, e, label);
        }
        return;
    }
    double ticks[12];
    int count = xt_axis_ticks(ticks, 6, pow(10, a->ylo), pow(10, a->yhi));
    for (int i = 0; i < count; i++)
        if (ticks[i] > 0) {
            snprintf(label, sizeof label, "%.3g", ticks[i]);
            log_tick(stream, a, log10(ticks[i]), label);
        }
}

static void draw_reference(FILE *stream, const xt_plot_area *a,
                           const xt_chart_options *opt)
{
    double v;
    if (!opt->has_reference || !chart_value(&v, opt->reference, opt->log_y))
        return;
    double y = xt_plot_y(a, v);
    fprintf(stream, "<line x1=\"");
    xt_svg_num(stream, a->left);
    fprintf(stream, "\" y1=\"");
    xt_svg_num(stream, y);
    fprintf(stream, "\" x2=\"");
    xt_svg_num(stream, a->left + a->width);
    fprintf(stream, "\" y2=\"");
    xt_svg_num(stream, y);
    fprintf(stream, "\" stroke=\"#000000\" stroke-width=\"1.5\" "
            "stroke-dasharray=\"8 4\"/>\n");
}

static void legend_entry(FILE *stream, double x, double y,
                         const char *colour, const char *dash,
                         const char *text)
{
    fprintf(stream, "<line x1=\"");
    xt_svg_num(stream, x);
    fprintf(stream, "\" y1=\"");
    xt_svg_num(stream, y - 4);
    fprintf(stream, "\" x2=\"");
    xt_svg_num(stream, x + 20);
    fprintf(stream, "\" y2=\"");
    xt_svg_num(stream, y - 4);
    fprintf(stream, "\" stroke=\"%s\" stroke-width=\"2\"%s/>\n", colour,
            dash);
    xt_svg_text(stream, x + 26, y, "start", 11, text);
}

static void draw_legend(FILE *stream, const xt_plot_area *a,
                        const xt_chart_series *series, int count,
                        const xt_chart_options *opt)
{
    double x = a->left + a->width + 16, y = a->top + 10;
    int shown = 0;
    if (opt->has_reference && opt->reference_label) {
        double v;
        int drawable = chart_value(&v, opt->reference, opt->log_y);
        legend_entry(stream, x, y, "#000000", " stroke-dasharray=\"8 4\"",
                     opt->reference_label);
        if (!drawable)
            xt_svg_text(stream, x + 26, y + 14, "start", 10,
                        "(off the log scale)");
        y += drawable ? 18 : 32;
    }
    for (int s = 0; s < count; s++) {
        if (!series[s].name)
            continue;
        if (shown == LEGEND_MAX) {
            xt_svg_text(stream, x, y, "start", 11, "...");
            break;
        }
        legend_entry(stream, x, y, xt_network_colour(s), "",
                     series[s].name);
        y += 16;
        shown++;
    }
}

int xt_draw_chart(FILE *stream, const xt_chart_series *series, int count,
                  const xt_chart_options *opt, xt_error_t *err)
{
    double top = opt->title ? CHART_TOP : 14;
    xt_plot_area a = {CHART_LEFT, top,
                      opt->width - CHART_LEFT - CHART_RIGHT,
                      opt->height - top - CHART_BOTTOM, 0, 0, 0, 0};
    if (opt->width < 200 || opt->height < 150) {
        xt_error_set(err, "a chart needs at least 200 x 150 pixels, not "
                     "%d x %d", opt->width, opt->height);
        return XT_ERR_INPUT;
    }
    if (!chart_ranges(&a, series, count, opt)) {
        xt_error_set(err, "the chart has no point to draw");
        return XT_ERR_INPUT;
    }
    xt_svg_begin(stream, opt->width + LEGEND_WIDTH, opt->height,
                 opt->inline_svg, opt->title);
    if (opt->title)
        xt_svg_text(stream, opt->width / 2.0, 20, "middle", 14, opt->title);
    if (opt->log_y)
        log_axis(stream, &a);
    xt_plot_axes(stream, &a, opt->x_label, opt->y_label, !opt->log_y);
    for (int s = 0; s < count; s++)
        draw_series(stream, &a, &series[s], xt_network_colour(s),
                    opt->log_y);
    draw_reference(stream, &a, opt);
    draw_legend(stream, &a, series, count, opt);
    xt_svg_end(stream);
    return XT_OK;
}

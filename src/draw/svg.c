/* SVG snippets, colours, axis ticks and text formatting for the pictures.
 * Only this file and the writers turn exact values into doubles, and only
 * for pixel positions, colours and labels. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "draw_internal.h"
#include "xtrain/rat.h"

void xt_draw_write_escaped(FILE *stream, const char *text)
{
    for (const char *s = text; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", stream); break;
        case '>': fputs("&gt;", stream); break;
        case '&': fputs("&amp;", stream); break;
        case '"': fputs("&quot;", stream); break;
        case '\'': fputs("&#39;", stream); break;
        default: fputc(*s, stream);
        }
    }
}

char *xt_draw_format_value(char *buf, size_t size, const mpq_t q,
                           size_t max_chars)
{
    char *exact = xt_rat_to_string(q);
    if (exact && strlen(exact) <= max_chars)
        snprintf(buf, size, "%s", exact);
    else
        snprintf(buf, size, "\u2248%.6g", mpq_get_d(q));
    free(exact);
    return buf;
}

/* Blue, light blue, white, light red, red (ColorBrewer's RdBu, reversed
 * so that large values are red). */
static const xt_rgb colour_knots[XT_COLOUR_KNOTS] = {
    {0x21 / 255.0, 0x66 / 255.0, 0xac / 255.0},
    {0x92 / 255.0, 0xc5 / 255.0, 0xde / 255.0},
    {0xf7 / 255.0, 0xf7 / 255.0, 0xf7 / 255.0},
    {0xf4 / 255.0, 0xa5 / 255.0, 0x82 / 255.0},
    {0xb2 / 255.0, 0x18 / 255.0, 0x2b / 255.0},
};

xt_rgb xt_colour_map(double t)
{
    if (!(t > 0))
        return colour_knots[0];
    if (t >= 1)
        return colour_knots[XT_COLOUR_KNOTS - 1];
    double s = t * (XT_COLOUR_KNOTS - 1);
    int i = (int)s;
    double u = s - i;
    xt_rgb a = colour_knots[i], b = colour_knots[i + 1], c;
    c.r = a.r + u * (b.r - a.r);
    c.g = a.g + u * (b.g - a.g);
    c.b = a.b + u * (b.b - a.b);
    return c;
}

static int channel(double v)
{
    long c = lround(v * 255.0);
    if (c < 0)
        return 0;
    if (c > 255)
        return 255;
    return (int)c;
}

void xt_svg_colour(FILE *stream, xt_rgb c)
{
    fprintf(stream, "#%02x%02x%02x", channel(c.r), channel(c.g),
            channel(c.b));
}

/* Okabe and Ito's palette for colour-blind readers, without yellow. */
static const char *const palette[] = {
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9",
    "#000000"
};

const char *xt_network_colour(int i)
{
    int count = (int)(sizeof palette / sizeof *palette);
    return palette[(i % count + count) % count];
}

void xt_svg_num(FILE *stream, double v)
{
    double r = round(v * 100.0) / 100.0;
    if (r == 0)
        r = 0;   /* no "-0" */
    fprintf(stream, "%.2f", r);
}

void xt_svg_begin(FILE *stream, double width, double height,
                  int inline_svg, const char *label)
{
    if (!inline_svg)
        fprintf(stream, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(stream, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
            "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
            "font-family=\"sans-serif\" role=\"img\"", width, height, width,
            height);
    if (label) {
        fprintf(stream, " aria-label=\"");
        xt_draw_write_escaped(stream, label);
        fprintf(stream, "\"");
    }
    fprintf(stream, ">\n<rect width=\"%.0f\" height=\"%.0f\" "
            "fill=\"#ffffff\"/>\n", width, height);
}

void xt_svg_end(FILE *stream)
{
    fprintf(stream, "</svg>\n");
}

void xt_svg_text(FILE *stream, double x, double y, const char *anchor,
                 int size, const char *text)
{
    fprintf(stream, "<text x=\"");
    xt_svg_num(stream, x);
    fprintf(stream, "\" y=\"");
    xt_svg_num(stream, y);
    fprintf(stream, "\" font-size=\"%d\" text-anchor=\"%s\">", size,
            anchor);
    xt_draw_write_escaped(stream, text);
    fprintf(stream, "</text>\n");
}

int xt_axis_ticks(double *ticks, int max, double lo, double hi)
{
    if (!(hi > lo) || max < 2)
        return 0;
    double raw = (hi - lo) / (max - 1);
    double power = pow(10.0, floor(log10(raw)));
    double step = power;
    if (raw > 5 * power)
        step = 10 * power;
    else if (raw > 2 * power)
        step = 5 * power;
    else if (raw > power)
        step = 2 * power;
    int count = 0;
    for (double t = ceil(lo / step); count < max && t * step <= hi; t++) {
        double v = t * step;
        /* Snap values such as 3e-17 to 0. */
        ticks[count++] = fabs(v) < step * 1e-9 ? 0 : v;
    }
    return count;
}

void xt_format_tick(char *buf, size_t size, double v)
{
    if (v == 0)
        v = 0;
    snprintf(buf, size, "%.6g", v);
}

double xt_plot_x(const xt_plot_area *a, double x)
{
    return a->left + (x - a->xlo) / (a->xhi - a->xlo) * a->width;
}

double xt_plot_y(const xt_plot_area *a, double y)
{
    return a->top + (a->yhi - y) / (a->yhi - a->ylo) * a->height;
}

static void grid_line(FILE *stream, double x1, double y1, double x2,
                      double y2)
{
    fprintf(stream, "<line x1=\"");
    xt_svg_num(stream, x1);
    fprintf(stream, "\" y1=\"");
    xt_svg_num(stream, y1);
    fprintf(stream, "\" x2=\"");
    xt_svg_num(stream, x2);
    fprintf(stream, "\" y2=\"");
    xt_svg_num(stream, y2);
    fprintf(stream, "\"/>\n");
}

static void axis_ticks_x(FILE *stream, const xt_plot_area *a)
{
    double ticks[12];
    char label[32];
    int count = xt_axis_ticks(ticks, 8, a->xlo, a->xhi);
    double bottom = a->top + a->height;
    for (int i = 0; i < count; i++) {
        double x = xt_plot_x(a, ticks[i]);
        fprintf(stream, "<g stroke=\"#000000\" stroke-opacity=\"0.12\">\n");
        grid_line(stream, x, a->top, x, bottom);
        fprintf(stream, "</g>\n");
        xt_format_tick(label, sizeof label, ticks[i]);
        xt_svg_text(stream, x, bottom + 14, "middle", 11, label);
    }
}

static void axis_ticks_y(FILE *stream, const xt_plot_area *a)
{
    double ticks[12];
    char label[32];
    int count = xt_axis_ticks(ticks, 7, a->ylo, a->yhi);
    for (int i = 0; i < count; i++) {
        double y = xt_plot_y(a, ticks[i]);
        fprintf(stream, "<g stroke=\"#000000\" stroke-opacity=\"0.12\">\n");
        grid_line(stream, a->left, y, a->left + a->width, y);
        fprintf(stream, "</g>\n");
        xt_format_tick(label, sizeof label, ticks[i]);
        xt_svg_text(stream, a->left - 5, y + 4, "end", 11, label);
    }
}

void xt_plot_axes(FILE *stream, const xt_plot_area *a, const char *x_label,
                  const char *y_label, int y_ticks)
{
    axis_ticks_x(stream, a);
    if (y_ticks)
        axis_ticks_y(stream, a);
    fprintf(stream, "<rect x=\"");
    xt_svg_num(stream, a->left);
    fprintf(stream, "\" y=\"");
    xt_svg_num(stream, a->top);
    fprintf(stream, "\" width=\"");
    xt_svg_num(stream, a->width);
    fprintf(stream, "\" height=\"");
    xt_svg_num(stream, a->height);
    fprintf(stream, "\" fill=\"none\" stroke=\"#444444\"/>\n");
    if (x_label)
        xt_svg_text(stream, a->left + a->width / 2,
                    a->top + a->height + 30, "middle", 12, x_label);
    if (y_label) {
        double x = a->left - 38, y = a->top + a->height / 2;
        fprintf(stream, "<g transform=\"rotate(-90 ");
        xt_svg_num(stream, x);
        fprintf(stream, " ");
        xt_svg_num(stream, y);
        fprintf(stream, ")\">\n");
        xt_svg_text(stream, x, y, "middle", 12, y_label);
        fprintf(stream, "</g>\n");
    }
}

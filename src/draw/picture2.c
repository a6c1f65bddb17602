/* The d = 2 picture: one panel per network with its exact linear regions,
 * each shaded by an SVG linear gradient that follows the region's affine
 * function, its breaklines dashed, and the data points coloured by label
 * on the same colour scale. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "draw_internal.h"
#include "picture_internal.h"
#include "xtrain/rat.h"

typedef struct {
    mpq_t xlo, xhi, ylo, yhi;     /* the box shown, in data units */
    mpq_t vlo, vhi;               /* the colour scale */
    int clamped_lo, clamped_hi;   /* values beyond it take its end colour */
    xt_region_list_t *regions;    /* one list per network */
    int count;
    int o;                        /* output drawn */
} plane_plot;

/* Panel layout in pixels: the plot area inside a panel of the options'
 * size, and the extra room below it for the legend line. */
enum { PANEL_LEFT = 52, PANEL_TOP = 30, PANEL_RIGHT = 14,
       PANEL_BOTTOM = 40, LEGEND_ROOM = 24, COLOUR_BAR_ROOM = 104 };

/* Widens the shorter side of the box so that one data unit has the same
 * length on both axes, when that costs at most a factor 3; plots of very
 * different ranges keep their own scales. */
static void match_aspect(plane_plot *pp, int width, int height)
{
    mpq_t xw, yw, ratio, want, extra;
    mpq_inits(xw, yw, ratio, want, extra, NULL);
    mpq_sub(xw, pp->xhi, pp->xlo);
    mpq_sub(yw, pp->yhi, pp->ylo);
    /* ratio = (xw / yw) / (width / height): 1 when the scales agree. */
    mpq_div(ratio, xw, yw);
    mpq_set_ui(want, (unsigned long)height, (unsigned long)width);
    mpq_canonicalize(want);
    mpq_mul(ratio, ratio, want);
    double r = mpq_get_d(ratio);
    if (r >= 1.0 / 3 && r < 1) {
        /* x too narrow: xw' = xw / ratio. */
        mpq_div(extra, xw, ratio);
        mpq_sub(extra, extra, xw);
        mpq_div_2exp(extra, extra, 1);
        mpq_sub(pp->xlo, pp->xlo, extra);
        mpq_add(pp->xhi, pp->xhi, extra);
    } else if (r > 1 && r <= 3) {
        mpq_mul(extra, yw, ratio);
        mpq_sub(extra, extra, yw);
        mpq_div_2exp(extra, extra, 1);
        mpq_sub(pp->ylo, pp->ylo, extra);
        mpq_add(pp->yhi, pp->yhi, extra);
    }
    mpq_clears(xw, yw, ratio, want, extra, NULL);
}

static void set_box(plane_plot *pp, const xt_instance_t inst,
                    const xt_draw_options *opt)
{
    mpq_t pad;
    mpq_init(pad);
    mpq_set_ui(pad, 1, 10);
    xt_draw_bounds(pp->xlo, pp->xhi, inst->x, inst->n, 2);
    xt_draw_bounds(pp->ylo, pp->yhi, inst->x + 1, inst->n, 2);
    xt_draw_pad(pp->xlo, pp->xhi, pad);
    xt_draw_pad(pp->ylo, pp->yhi, pad);
    match_aspect(pp, opt->width - PANEL_LEFT - PANEL_RIGHT,
                 opt->height - PANEL_TOP - PANEL_BOTTOM);
    mpq_clear(pad);
}

static void region_value(mpq_t out, const xt_region *r, int i, mpq_t tmp)
{
    mpq_mul(out, r->gx, r->x[i]);
    mpq_mul(tmp, r->gy, r->y[i]);
    mpq_add(out, out, tmp);
    mpq_add(out, out, r->g0);
}

/* Sets [lo, hi] to the range of every region's values, which are
 * extreme at the regions' vertices.  Returns 0 when there are no
 * regions. */
static int region_range(mpq_t lo, mpq_t hi, const plane_plot *pp)
{
    mpq_t v, tmp;
    mpq_inits(v, tmp, NULL);
    int any = 0;
    for (int i = 0; i < pp->count; i++)
        for (long q = 0; q < pp->regions[i]->count; q++) {
            const xt_region *r = &pp->regions[i]->regions[q];
            for (int t = 0; t < r->count; t++) {
                region_value(v, r, t, tmp);
                if (!any) {
                    mpq_set(lo, v);
                    mpq_set(hi, v);
                    any = 1;
                }
                xt_draw_include(lo, hi, v);
            }
        }
    mpq_clears(v, tmp, NULL);
    return any;
}

/* The colour scale spans the labels, widened by half their range on
 * each side, as far as the networks' values reach.  Values beyond that
 * saturate, so that a network's extreme corners do not wash out the
 * labels' colours. */
static void set_scale(plane_plot *pp, const xt_instance_t inst)
{
    mpq_t lo, hi, margin, zero;
    mpq_inits(lo, hi, margin, zero, NULL);
    int values = region_range(lo, hi, pp);
    if (inst->n == 0) {
        mpq_set(pp->vlo, lo);
        mpq_set(pp->vhi, hi);
    } else {
        xt_draw_bounds(pp->vlo, pp->vhi, inst->y + pp->o, inst->n, inst->m);
        mpq_sub(margin, pp->vhi, pp->vlo);
        if (mpq_sgn(margin) == 0)
            mpq_set_ui(margin, 1, 1);
        mpq_div_2exp(margin, margin, 1);
        mpq_sub(pp->vlo, pp->vlo, margin);
        mpq_add(pp->vhi, pp->vhi, margin);
        if (values) {
            /* Shrink each end to the values that occur, but keep the
             * labels inside. */
            for (long i = 0; i < inst->n; i++)
                xt_draw_include(lo, hi, inst->y[i * inst->m + pp->o]);
            pp->clamped_lo = mpq_cmp(lo, pp->vlo) < 0;
            pp->clamped_hi = mpq_cmp(hi, pp->vhi) > 0;
            if (!pp->clamped_lo)
                mpq_set(pp->vlo, lo);
            if (!pp->clamped_hi)
                mpq_set(pp->vhi, hi);
        }
    }
    xt_draw_pad(pp->vlo, pp->vhi, zero);
    mpq_clears(lo, hi, margin, zero, NULL);
}

/* Position of v on the colour scale, in [0, 1]. */
static double scale_position(const plane_plot *pp, const mpq_t v)
{
    mpq_t t, width;
    mpq_inits(t, width, NULL);
    mpq_sub(t, v, pp->vlo);
    mpq_sub(width, pp->vhi, pp->vlo);
    mpq_div(t, t, width);
    double d = mpq_get_d(t);
    mpq_clears(t, width, NULL);
    return d;
}

static void write_stop(FILE *stream, double offset, double position)
{
    fprintf(stream, "<stop offset=\"%.6f\" stop-color=\"", offset);
    xt_svg_colour(stream, xt_colour_map(position));
    fprintf(stream, "\"/>");
}

/* Writes a gradient that runs from pixel p1, where the value is at scale
 * position u0, to p2, where it is at u1 (u0 < u1), with a stop at every
 * knot of the colour map in between, so it reproduces the map.  The ends
 * 0 and 1 count as knots, so positions beyond them keep the end
 * colour. */
static void write_gradient(FILE *stream, const char *id, const double p1[2],
                           const double p2[2], double u0, double u1)
{
    fprintf(stream, "<linearGradient id=\"%s\" "
            "gradientUnits=\"userSpaceOnUse\" x1=\"", id);
    xt_svg_num(stream, p1[0]);
    fprintf(stream, "\" y1=\"");
    xt_svg_num(stream, p1[1]);
    fprintf(stream, "\" x2=\"");
    xt_svg_num(stream, p2[0]);
    fprintf(stream, "\" y2=\"");
    xt_svg_num(stream, p2[1]);
    fprintf(stream, "\">");
    write_stop(stream, 0, u0);
    for (int k = 0; k < XT_COLOUR_KNOTS; k++) {
        double knot = (double)k / (XT_COLOUR_KNOTS - 1);
        if (knot > u0 && knot < u1)
            write_stop(stream, (knot - u0) / (u1 - u0), knot);
    }
    write_stop(stream, 1, u1);
    fprintf(stream, "</linearGradient>\n");
}

static void write_polygon_points(FILE *stream, const xt_plot_area *a,
                                 const xt_region *r)
{
    fprintf(stream, " points=\"");
    for (int i = 0; i < r->count; i++) {
        if (i)
            fprintf(stream, " ");
        xt_svg_num(stream, xt_plot_x(a, mpq_get_d(r->x[i])));
        fprintf(stream, ",");
        xt_svg_num(stream, xt_plot_y(a, mpq_get_d(r->y[i])));
    }
    fprintf(stream, "\"");
}

static void write_region_title(FILE *stream, const xt_region *r)
{
    fprintf(stream, "<title>f = ");
    xt_rat_print(stream, r->gx);
    fprintf(stream, " x1 + ");
    xt_rat_print(stream, r->gy);
    fprintf(stream, " x2 + ");
    xt_rat_print(stream, r->g0);
    fprintf(stream, "</title>");
}

/* Finds the vertices where the region's value is smallest and largest. */
static void region_extremes(const xt_region *r, int *lo, int *hi,
                            mpq_t vlo, mpq_t vhi)
{
    mpq_t v, tmp;
    mpq_inits(v, tmp, NULL);
    *lo = *hi = 0;
    region_value(vlo, r, 0, tmp);
    mpq_set(vhi, vlo);
    for (int i = 1; i < r->count; i++) {
        region_value(v, r, i, tmp);
        if (mpq_cmp(v, vlo) < 0) {
            mpq_set(vlo, v);
            *lo = i;
        }
        if (mpq_cmp(v, vhi) > 0) {
            mpq_set(vhi, v);
            *hi = i;
        }
    }
    mpq_clears(v, tmp, NULL);
}

static void draw_region(FILE *stream, const xt_plot_area *a,
                        const xt_region *r, const plane_plot *pp,
                        const char *id)
{
    mpq_t vlo, vhi;
    mpq_inits(vlo, vhi, NULL);
    int lo, hi;
    region_extremes(r, &lo, &hi, vlo, vhi);
    double u0 = scale_position(pp, vlo), u1 = scale_position(pp, vhi);
    if (mpq_cmp(vlo, vhi) == 0) {
        fprintf(stream, "<polygon");
        write_polygon_points(stream, a, r);
        fprintf(stream, " fill=\"");
        xt_svg_colour(stream, xt_colour_map(u0));
        fprintf(stream, "\" stroke=\"");
        xt_svg_colour(stream, xt_colour_map(u0));
        fprintf(stream, "\" stroke-width=\"0.6\">");
    } else {
        /* The value's gradient in pixel units: x grows with the pixel
         * column, y shrinks with the pixel row. */
        double sx = a->width / (a->xhi - a->xlo);
        double sy = a->height / (a->yhi - a->ylo);
        double gx = mpq_get_d(r->gx) / sx, gy = -mpq_get_d(r->gy) / sy;
        double span = mpq_get_d(vhi) - mpq_get_d(vlo);
        double norm2 = gx * gx + gy * gy;
        double p1[2] = {xt_plot_x(a, mpq_get_d(r->x[lo])),
                        xt_plot_y(a, mpq_get_d(r->y[lo]))};
        double p2[2] = {p1[0] + span * gx / norm2, p1[1] + span * gy / norm2};
        fprintf(stream, "<defs>");
        write_gradient(stream, id, p1, p2, u0, u1);
        fprintf(stream, "</defs>\n<polygon");
        write_polygon_points(stream, a, r);
        fprintf(stream, " fill=\"url(#%s)\" stroke=\"url(#%s)\" "
                "stroke-width=\"0.6\">", id, id);
    }
    write_region_title(stream, r);
    fprintf(stream, "</polygon>\n");
    mpq_clears(vlo, vhi, NULL);
}

/* Sets (px[t], py[t]), t = 0, 1, to the ends of the part of the line
 * wx x + wy y + b = 0 inside the box.  Returns 0 when the line misses
 * the box or only touches a corner. */
static int clip_line(mpq_t px[2], mpq_t py[2], const mpq_t wx,
                     const mpq_t wy, const mpq_t b, const plane_plot *pp)
{
    mpq_t x, y, tmp;
    mpq_inits(x, y, tmp, NULL);
    int found = 0;
    for (int side = 0; side < 4 && found < 2; side++) {
        mpq_srcptr fixed = side == 0 ? pp->xlo : side == 1 ? pp->xhi
                           : side == 2 ? pp->ylo : pp->yhi;
        mpq_srcptr along = side < 2 ? wy : wx;   /* solve for this one */
        if (mpq_sgn(along) == 0)
            continue;
        mpq_mul(tmp, side < 2 ? wx : wy, fixed);
        mpq_add(tmp, tmp, b);
        mpq_div(tmp, tmp, along);
        mpq_neg(tmp, tmp);
        mpq_set(x, side < 2 ? fixed : tmp);
        mpq_set(y, side < 2 ? tmp : fixed);
        if (mpq_cmp(x, pp->xlo) < 0 || mpq_cmp(x, pp->xhi) > 0 ||
            mpq_cmp(y, pp->ylo) < 0 || mpq_cmp(y, pp->yhi) > 0)
            continue;
        if (found == 1 && mpq_equal(x, px[0]) && mpq_equal(y, py[0]))
            continue;
        mpq_set(px[found], x);
        mpq_set(py[found], y);
        found++;
    }
    mpq_clears(x, y, tmp, NULL);
    return found == 2;
}

static void draw_breaklines(FILE *stream, const xt_plot_area *a,
                            const xt_network_t net, const plane_plot *pp,
                            const char *colour)
{
    mpq_t px[2], py[2];
    mpq_inits(px[0], px[1], py[0], py[1], NULL);
    if (net->activation == XT_ACT_LINEAR)
        goto done;
    /* Each line is drawn twice: a white underlay keeps the dashes visible
     * on dark shading. */
    fprintf(stream, "<g stroke-width=\"1.8\">\n");
    for (int j = 0; j < net->k; j++) {
        if (!xt_draw_neuron_used(net, pp->o, j) ||
            !clip_line(px, py, net->w[2 * j], net->w[2 * j + 1], net->b[j],
                       pp))
            continue;
        for (int layer = 0; layer < 2; layer++) {
            fprintf(stream, "<line x1=\"");
            xt_svg_num(stream, xt_plot_x(a, mpq_get_d(px[0])));
            fprintf(stream, "\" y1=\"");
            xt_svg_num(stream, xt_plot_y(a, mpq_get_d(py[0])));
            fprintf(stream, "\" x2=\"");
            xt_svg_num(stream, xt_plot_x(a, mpq_get_d(px[1])));
            fprintf(stream, "\" y2=\"");
            xt_svg_num(stream, xt_plot_y(a, mpq_get_d(py[1])));
            if (layer == 0)
                fprintf(stream, "\" stroke=\"#ffffff\" stroke-width=\"3.4\" "
                        "stroke-opacity=\"0.8\"/>\n");
        }
        fprintf(stream, "\" stroke=\"%s\" stroke-dasharray=\"6 3\">"
                "<title>neuron %d: ", colour, j + 1);
        xt_rat_print(stream, net->w[2 * j]);
        fprintf(stream, " x1 + ");
        xt_rat_print(stream, net->w[2 * j + 1]);
        fprintf(stream, " x2 + ");
        xt_rat_print(stream, net->b[j]);
        fprintf(stream, " = 0</title></line>\n");
    }
    fprintf(stream, "</g>\n");
done:
    mpq_clears(px[0], px[1], py[0], py[1], NULL);
}

static void draw_points(FILE *stream, const xt_plot_area *a,
                        const xt_instance_t inst, const plane_plot *pp)
{
    char fill[8];
    for (long i = 0; i < inst->n; i++) {
        mpq_srcptr label = inst->y[i * inst->m + pp->o];
        xt_rgb c = xt_colour_map(scale_position(pp, label));
        snprintf(fill, sizeof fill, "#%02x%02x%02x",
                 (int)lround(c.r * 255), (int)lround(c.g * 255),
                 (int)lround(c.b * 255));
        xt_draw_point(stream, xt_plot_x(a, mpq_get_d(inst->x[2 * i])),
                      xt_plot_y(a, mpq_get_d(inst->x[2 * i + 1])), fill,
                      "point ", &inst->x[2 * i], 2, label);
    }
}

static void draw_panel_legend(FILE *stream, const xt_plot_area *a,
                              const xt_instance_t inst, const mpq_t loss,
                              const char *colour)
{
    char text[160];
    double y = a->top + a->height + PANEL_BOTTOM + 10;
    fprintf(stream, "<line x1=\"");
    xt_svg_num(stream, a->left);
    fprintf(stream, "\" y1=\"");
    xt_svg_num(stream, y - 4);
    fprintf(stream, "\" x2=\"");
    xt_svg_num(stream, a->left + 24);
    fprintf(stream, "\" y2=\"");
    xt_svg_num(stream, y - 4);
    fprintf(stream, "\" stroke=\"%s\" stroke-width=\"1.6\" "
            "stroke-dasharray=\"6 3\"/>\n", colour);
    xt_draw_loss_text(text, sizeof text, inst, loss);
    fprintf(stream, "<g>");
    xt_draw_title_exact(stream, "exact loss ", loss);
    xt_svg_text(stream, a->left + 32, y, "start", 12, text);
    fprintf(stream, "</g>\n");
}

/* Draws panel i (network i, or the bare data when item is NULL) with its
 * top left corner at (x0, y0). */
static void draw_panel(FILE *stream, const xt_instance_t inst,
                       const xt_draw_item *item, const mpq_t loss,
                       const plane_plot *pp, int i, double x0, double y0,
                       const xt_draw_options *opt)
{
    xt_plot_area a = {PANEL_LEFT, PANEL_TOP,
                      opt->width - PANEL_LEFT - PANEL_RIGHT,
                      opt->height - PANEL_TOP - PANEL_BOTTOM,
                      mpq_get_d(pp->xlo), mpq_get_d(pp->xhi),
                      mpq_get_d(pp->ylo), mpq_get_d(pp->yhi)};
    char id[96];
    fprintf(stream, "<g transform=\"translate(");
    xt_svg_num(stream, x0);
    fprintf(stream, " ");
    xt_svg_num(stream, y0);
    fprintf(stream, ")\">\n");
    xt_svg_text(stream, a.left + a.width / 2, 20, "middle", 13,
                item ? item->name : "data");
    if (item)
        for (long q = 0; q < pp->regions[i]->count; q++) {
            snprintf(id, sizeof id, "%s-p%d-r%ld", opt->id_prefix, i, q);
            draw_region(stream, &a, &pp->regions[i]->regions[q], pp, id);
        }
    xt_plot_axes(stream, &a, "x1", "x2", 1);
    if (item)
        draw_breaklines(stream, &a, item->network, pp,
                        xt_network_colour(i));
    draw_points(stream, &a, inst, pp);
    if (item)
        draw_panel_legend(stream, &a, inst, loss, xt_network_colour(i));
    fprintf(stream, "</g>\n");
}

/* Draws the colour scale as a vertical bar at x0, top to bottom. */
static void draw_colour_bar(FILE *stream, const plane_plot *pp, double x0,
                            double top, double bottom,
                            const xt_draw_options *opt, int outputs)
{
    char id[96], label[48];
    double p1[2] = {0, bottom}, p2[2] = {0, top};
    snprintf(id, sizeof id, "%s-scale", opt->id_prefix);
    fprintf(stream, "<defs>");
    write_gradient(stream, id, p1, p2, 0, 1);
    fprintf(stream, "</defs>\n<rect x=\"");
    xt_svg_num(stream, x0);
    fprintf(stream, "\" y=\"");
    xt_svg_num(stream, top);
    fprintf(stream, "\" width=\"16\" height=\"");
    xt_svg_num(stream, bottom - top);
    fprintf(stream, "\" fill=\"url(#%s)\" stroke=\"#444444\"/>\n", id);
    double lo = mpq_get_d(pp->vlo), hi = mpq_get_d(pp->vhi);
    for (int k = 0; k <= 4; k++) {
        double v = lo + (hi - lo) * k / 4.0;
        char number[40];
        snprintf(number, sizeof number, "%.4g", v == 0 ? 0 : v);
        /* A saturated end also stands for the values beyond it. */
        const char *mark = "";
        if (k == 0 && pp->clamped_lo)
            mark = "\u2264 ";
        if (k == 4 && pp->clamped_hi)
            mark = "\u2265 ";
        snprintf(label, sizeof label, "%s%s", mark, number);
        xt_svg_text(stream, x0 + 20, bottom - (bottom - top) * k / 4.0 + 4,
                    "start", 11, label);
    }
    snprintf(label, sizeof label, outputs > 1 ? "value y%d" : "value",
             pp->o + 1);
    xt_svg_text(stream, x0, top - 8, "start", 11, label);
}

static void draw_panels(FILE *stream, const xt_instance_t inst,
                        const xt_draw_item *items, const mpq_t *loss,
                        const plane_plot *pp, const xt_draw_options *opt)
{
    int panels = pp->count ? pp->count : 1;
    int columns = panels < 3 ? panels : 3;
    int rows = (panels + columns - 1) / columns;
    double title_room = opt->title ? 28 : 0;
    double panel_height = opt->height + LEGEND_ROOM;
    double width = columns * opt->width + COLOUR_BAR_ROOM;
    double height = title_room + rows * panel_height;

    xt_svg_begin(stream, width, height, opt->inline_svg, opt->title);
    if (opt->title)
        xt_svg_text(stream, width / 2, 20, "middle", 14, opt->title);
    for (int i = 0; i < panels; i++)
        draw_panel(stream, inst, pp->count ? &items[i] : NULL,
                   pp->count ? loss[i] : NULL, pp, i,
                   (i % columns) * opt->width,
                   title_room + (i / columns) * panel_height, opt);
    draw_colour_bar(stream, pp, columns * opt->width + 14,
                    title_room + PANEL_TOP,
                    title_room + opt->height - PANEL_BOTTOM, opt, inst->m);
    xt_svg_end(stream);
}

int xt_draw_d2(FILE *stream, const xt_instance_t inst,
               const xt_draw_item *items, const mpq_t *loss, int count,
               const xt_draw_options *opt, xt_error_t *err)
{
    plane_plot pp;
    memset(&pp, 0, sizeof pp);
    mpq_inits(pp.xlo, pp.xhi, pp.ylo, pp.yhi, pp.vlo, pp.vhi, NULL);
    pp.o = opt->output;
    pp.regions = calloc((size_t)(count ? count : 1), sizeof *pp.regions);
    int status = pp.regions ? XT_OK : XT_ERR_NOMEM;
    if (!pp.regions)
        xt_error_set(err, "out of memory drawing the picture");
    else
        pp.count = count;
    for (int i = 0; i < pp.count; i++)
        xt_region_list_init(pp.regions[i]);

    set_box(&pp, inst, opt);
    for (int i = 0; i < pp.count && status == XT_OK; i++)
        status = xt_draw_regions(pp.regions[i], items[i].network, pp.o,
                                 pp.xlo, pp.xhi, pp.ylo, pp.yhi, err);
    if (status == XT_OK) {
        set_scale(&pp, inst);
        draw_panels(stream, inst, items, loss, &pp, opt);
    }
    for (int i = 0; i < pp.count; i++)
        xt_region_list_clear(pp.regions[i]);
    free(pp.regions);
    mpq_clears(pp.xlo, pp.xhi, pp.ylo, pp.yhi, pp.vlo, pp.vhi, NULL);
    return status;
}

/* xt_draw_svg: pictures of an instance and networks.  d = 1 draws the
 * graphs of the networks over the data points; d = 2 draws one panel per
 * network with its exact linear regions shaded by value (picture2.c). */
#include <stdlib.h>
#include <string.h>
#include "draw_internal.h"
#include "picture_internal.h"
#include "xtrain/rat.h"

void xt_draw_options_init(xt_draw_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->width = 480;
    opt->height = 360;
    opt->id_prefix = "xt";
}

void xt_draw_loss_text(char *buf, size_t size, const xt_instance_t inst,
                       const mpq_t loss)
{
    char *exact = xt_rat_to_string(loss);
    const char *name = xt_loss_name(inst->loss);
    if (!exact)
        snprintf(buf, size, "loss (%s) \u2248 %.6g", name,
                 mpq_get_d(loss));
    else if (mpz_cmp_ui(mpq_denref(loss), 1) == 0 && strlen(exact) <= 12)
        snprintf(buf, size, "loss (%s) = %s", name, exact);
    else if (strlen(exact) <= 16)
        snprintf(buf, size, "loss (%s) = %s = %.6g", name, exact,
                 mpq_get_d(loss));
    else
        snprintf(buf, size, "loss (%s) \u2248 %.6g", name,
                 mpq_get_d(loss));
    free(exact);
}

void xt_draw_title_exact(FILE *stream, const char *prefix, const mpq_t q)
{
    fprintf(stream, "<title>");
    xt_draw_write_escaped(stream, prefix);
    xt_rat_print(stream, q);
    fprintf(stream, "</title>");
}

/* Sets [lo, hi] to the smallest and largest of values[0..count-1]
 * (stride apart); [0, 0] when count is 0. */
void xt_draw_bounds(mpq_t lo, mpq_t hi, const mpq_t *values, long count,
                    long stride)
{
    mpq_set_ui(lo, 0, 1);
    mpq_set_ui(hi, 0, 1);
    for (long i = 0; i < count; i++) {
        mpq_srcptr v = values[i * stride];
        if (i == 0 || mpq_cmp(v, lo) < 0)
            mpq_set(lo, v);
        if (i == 0 || mpq_cmp(v, hi) > 0)
            mpq_set(hi, v);
    }
}

/* Widens [lo, hi] by pad times its width on each side, or to
 * [lo - 1, hi + 1] when lo = hi. */
void xt_draw_pad(mpq_t lo, mpq_t hi, const mpq_t pad)
{
    mpq_t width;
    mpq_init(width);
    mpq_sub(width, hi, lo);
    if (mpq_sgn(width) == 0)
        mpq_set_ui(width, 1, 1);
    else
        mpq_mul(width, width, pad);
    mpq_sub(lo, lo, width);
    mpq_add(hi, hi, width);
    mpq_clear(width);
}

/* Widens [lo, hi] to include v. */
void xt_draw_include(mpq_t lo, mpq_t hi, const mpq_t v)
{
    if (mpq_cmp(v, lo) < 0)
        mpq_set(lo, v);
    if (mpq_cmp(v, hi) > 0)
        mpq_set(hi, v);
}

void xt_draw_point(FILE *stream, double x, double y, const char *fill,
                   const char *tooltip_prefix, const mpq_t *coords,
                   int count, const mpq_t label)
{
    fprintf(stream, "<circle cx=\"");
    xt_svg_num(stream, x);
    fprintf(stream, "\" cy=\"");
    xt_svg_num(stream, y);
    fprintf(stream, "\" r=\"4.5\" fill=\"%s\" stroke=\"#000000\" "
            "stroke-width=\"1.4\"><title>", fill);
    xt_draw_write_escaped(stream, tooltip_prefix);
    fprintf(stream, "(");
    for (int t = 0; t < count; t++) {
        if (t)
            fprintf(stream, ", ");
        xt_rat_print(stream, coords[t]);
    }
    fprintf(stream, ") label ");
    xt_rat_print(stream, label);
    fprintf(stream, "</title></circle>\n");
}

/* ---------------------------------------------------------- d = 1 */

typedef struct {
    mpq_t xlo, xhi, ylo, yhi;
    xt_piece_list_t *pieces;   /* one list per network */
} line_plot;

static void value_at(mpq_t out, const xt_piece *p, const mpq_t x)
{
    mpq_mul(out, p->slope, x);
    mpq_add(out, out, p->intercept);
}

/* Computes the pieces and the exact ranges of a d = 1 picture. */
static int line_plot_setup(line_plot *lp, const xt_instance_t inst,
                           const xt_draw_item *items, int count, int o,
                           xt_error_t *err)
{
    mpq_t pad, v;
    mpq_inits(pad, v, NULL);
    mpq_set_ui(pad, 1, 20);
    xt_draw_bounds(lp->xlo, lp->xhi, inst->x, inst->n, 1);
    xt_draw_pad(lp->xlo, lp->xhi, pad);
    int status = XT_OK;
    for (int i = 0; i < count && status == XT_OK; i++)
        status = xt_draw_pieces(lp->pieces[i], items[i].network, o,
                                lp->xlo, lp->xhi, err);

    /* y range: the labels and the value at both ends of every piece. */
    xt_draw_bounds(lp->ylo, lp->yhi, inst->y + o, inst->n, inst->m);
    int first = inst->n == 0;
    for (int i = 0; i < count && status == XT_OK; i++)
        for (long p = 0; p < lp->pieces[i]->count; p++) {
            const xt_piece *piece = &lp->pieces[i]->pieces[p];
            value_at(v, piece, piece->lo);
            if (first) {
                mpq_set(lp->ylo, v);
                mpq_set(lp->yhi, v);
                first = 0;
            }
            xt_draw_include(lp->ylo, lp->yhi, v);
            value_at(v, piece, piece->hi);
            xt_draw_include(lp->ylo, lp->yhi, v);
        }
    mpq_set_ui(pad, 1, 12);
    xt_draw_pad(lp->ylo, lp->yhi, pad);
    mpq_clears(pad, v, NULL);
    return status;
}

/* Draws one network's graph as a path; a jump (threshold networks)
 * starts a new subpath, and each kink gets a small mark. */
static void draw_graph(FILE *stream, const xt_plot_area *a,
                       const xt_piece_list_t pieces, const char *colour)
{
    mpq_t left, right_prev;
    mpq_inits(left, right_prev, NULL);
    fprintf(stream, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
            "d=\"", colour);
    for (long p = 0; p < pieces->count; p++) {
        const xt_piece *piece = &pieces->pieces[p];
        value_at(left, piece, piece->lo);
        int jump = p == 0 || mpq_cmp(left, right_prev) != 0;
        fprintf(stream, jump ? "M" : " L");
        xt_svg_num(stream, xt_plot_x(a, mpq_get_d(piece->lo)));
        fprintf(stream, " ");
        xt_svg_num(stream, xt_plot_y(a, mpq_get_d(left)));
        value_at(right_prev, piece, piece->hi);
        fprintf(stream, " L");
        xt_svg_num(stream, xt_plot_x(a, mpq_get_d(piece->hi)));
        fprintf(stream, " ");
        xt_svg_num(stream, xt_plot_y(a, mpq_get_d(right_prev)));
    }
    fprintf(stream, "\"/>\n");

    for (long p = 1; p < pieces->count; p++) {
        const xt_piece *piece = &pieces->pieces[p];
        value_at(left, piece, piece->lo);
        fprintf(stream, "<circle cx=\"");
        xt_svg_num(stream, xt_plot_x(a, mpq_get_d(piece->lo)));
        fprintf(stream, "\" cy=\"");
        xt_svg_num(stream, xt_plot_y(a, mpq_get_d(left)));
        fprintf(stream, "\" r=\"3\" fill=\"#ffffff\" stroke=\"%s\">",
                colour);
        xt_draw_title_exact(stream, "breakpoint x = ", piece->lo);
        fprintf(stream, "</circle>\n");
    }
    mpq_clears(left, right_prev, NULL);
}

static void draw_line_legend(FILE *stream, const xt_plot_area *a,
                             const xt_instance_t inst,
                             const xt_draw_item *items, const mpq_t *loss,
                             int count)
{
    char text[256], loss_text[160];
    for (int i = 0; i < count; i++) {
        double y = a->top + a->height + 50 + 18 * i;
        fprintf(stream, "<line x1=\"");
        xt_svg_num(stream, a->left);
        fprintf(stream, "\" y1=\"");
        xt_svg_num(stream, y - 4);
        fprintf(stream, "\" x2=\"");
        xt_svg_num(stream, a->left + 24);
        fprintf(stream, "\" y2=\"");
        xt_svg_num(stream, y - 4);
        fprintf(stream, "\" stroke=\"%s\" stroke-width=\"2\"/>\n",
                xt_network_colour(i));
        xt_draw_loss_text(loss_text, sizeof loss_text, inst, loss[i]);
        snprintf(text, sizeof text, "%s: %s", items[i].name, loss_text);
        fprintf(stream, "<g>");
        xt_draw_title_exact(stream, "exact loss ", loss[i]);
        xt_svg_text(stream, a->left + 32, y, "start", 12, text);
        fprintf(stream, "</g>\n");
    }
}

static void draw_line_plot(FILE *stream, const xt_instance_t inst,
                           const xt_draw_item *items, const mpq_t *loss,
                           int count, const line_plot *lp,
                           const xt_draw_options *opt)
{
    double top = opt->title ? 34 : 14;
    xt_plot_area a = {62, top, opt->width - 78, opt->height - top - 46,
                      mpq_get_d(lp->xlo), mpq_get_d(lp->xhi),
                      mpq_get_d(lp->ylo), mpq_get_d(lp->yhi)};
    double height = opt->height + (count ? 18 * count + 12 : 0);
    xt_svg_begin(stream, opt->width, height, opt->inline_svg, opt->title);
    if (opt->title)
        xt_svg_text(stream, opt->width / 2.0, 20, "middle", 14,
                    opt->title);
    char y_label[32];
    snprintf(y_label, sizeof y_label, inst->m > 1 ? "y%d" : "y",
             opt->output + 1);
    xt_plot_axes(stream, &a, "x", y_label, 1);
    for (int i = 0; i < count; i++)
        draw_graph(stream, &a, lp->pieces[i], xt_network_colour(i));
    for (long i = 0; i < inst->n; i++)
        xt_draw_point(stream, xt_plot_x(&a, mpq_get_d(inst->x[i])),
                      xt_plot_y(&a, mpq_get_d(inst->y[i * inst->m +
                                                      opt->output])),
                      "#222222", "point ", &inst->x[i], 1,
                      inst->y[i * inst->m + opt->output]);
    draw_line_legend(stream, &a, inst, items, loss, count);
    xt_svg_end(stream);
}

static int draw_d1(FILE *stream, const xt_instance_t inst,
                   const xt_draw_item *items, const mpq_t *loss, int count,
                   const xt_draw_options *opt, xt_error_t *err)
{
    line_plot lp;
    mpq_inits(lp.xlo, lp.xhi, lp.ylo, lp.yhi, NULL);
    lp.pieces = calloc((size_t)(count ? count : 1), sizeof *lp.pieces);
    if (!lp.pieces) {
        mpq_clears(lp.xlo, lp.xhi, lp.ylo, lp.yhi, NULL);
        xt_error_set(err, "out of memory drawing the picture");
        return XT_ERR_NOMEM;
    }
    for (int i = 0; i < count; i++)
        xt_piece_list_init(lp.pieces[i]);
    int status = line_plot_setup(&lp, inst, items, count, opt->output,
                                 err);
    if (status == XT_OK)
        draw_line_plot(stream, inst, items, loss, count, &lp, opt);
    for (int i = 0; i < count; i++)
        xt_piece_list_clear(lp.pieces[i]);
    free(lp.pieces);
    mpq_clears(lp.xlo, lp.xhi, lp.ylo, lp.yhi, NULL);
    return status;
}

/* ------------------------------------------------------- dispatch */

static int check_items(const xt_instance_t inst, const xt_draw_item *items,
                       int count, const xt_draw_options *opt,
                       xt_error_t *err)
{
    if (inst->d < 1 || inst->d > 2) {
        xt_error_set(err, "pictures need 1 or 2 inputs, the instance has "
                     "%d", inst->d);
        return XT_ERR_INPUT;
    }
    if (opt->output < 0 || opt->output >= inst->m) {
        xt_error_set(err, "output %d does not exist: the instance has %d",
                     opt->output + 1, inst->m);
        return XT_ERR_INPUT;
    }
    if (opt->width < 200 || opt->height < 150) {
        xt_error_set(err, "a picture panel needs at least 200 x 150 "
                     "pixels, not %d x %d", opt->width, opt->height);
        return XT_ERR_INPUT;
    }
    for (int i = 0; i < count; i++) {
        const xt_network_struct *net = items[i].network;
        if (net->d != inst->d || net->m != inst->m) {
            xt_error_set(err, "network \"%s\" has %d inputs and %d "
                         "outputs, the instance %d and %d", items[i].name,
                         net->d, net->m, inst->d, inst->m);
            return XT_ERR_INPUT;
        }
    }
    return XT_OK;
}

int xt_draw_svg(FILE *stream, const xt_instance_t inst,
                const xt_draw_item *items, int count,
                const xt_draw_options *opt, xt_error_t *err)
{
    int status = check_items(inst, items, count, opt, err);
    if (status != XT_OK)
        return status;
    mpq_t *loss = xt_rat_array_new((size_t)(count ? count : 1));
    if (!loss) {
        xt_error_set(err, "out of memory drawing the picture");
        return XT_ERR_NOMEM;
    }
    for (int i = 0; i < count && status == XT_OK; i++)
        status = xt_network_loss(loss[i], NULL, items[i].network, inst,
                                 inst->loss, err);
    if (status == XT_OK)
        status = inst->d == 1
                     ? draw_d1(stream, inst, items, loss, count, opt, err)
                     : xt_draw_d2(stream, inst, items, loss, count, opt,
                                  err);
    xt_rat_array_free(loss, (size_t)(count ? count : 1));
    return status;
}

/* The linear regions of a d = 2 network inside a box, exactly.
 *
 * The box is cut by one breakline after another.  Every cell stays a
 * convex polygon.  A cut keeps the vertices on each side and adds the
 * points where edges cross the line, all in rationals, so the cells are
 * the exact faces of the line arrangement clipped to the box.  A point
 * inside a cell (the mean of its vertices) then gives the cell's
 * activation pattern and so its affine function. */
#include <stdlib.h>
#include "draw_internal.h"

static void region_init(xt_region *r, int count)
{
    r->count = count;
    r->x = malloc((size_t)count * sizeof *r->x);
    r->y = malloc((size_t)count * sizeof *r->y);
    if (!r->x || !r->y) {
        free(r->x);
        free(r->y);
        r->x = r->y = NULL;
        r->count = 0;
        count = 0;
    }
    for (int i = 0; i < count; i++) {
        mpq_init(r->x[i]);
        mpq_init(r->y[i]);
    }
    mpq_inits(r->gx, r->gy, r->g0, NULL);
}

static void region_clear(xt_region *r)
{
    for (int i = 0; i < r->count; i++) {
        mpq_clear(r->x[i]);
        mpq_clear(r->y[i]);
    }
    free(r->x);
    free(r->y);
    mpq_clears(r->gx, r->gy, r->g0, NULL);
}

void xt_region_list_init(xt_region_list_t list)
{
    list->count = 0;
    list->capacity = 0;
    list->regions = NULL;
}

void xt_region_list_clear(xt_region_list_t list)
{
    for (long i = 0; i < list->count; i++)
        region_clear(&list->regions[i]);
    free(list->regions);
    xt_region_list_init(list);
}

/* Appends a region of count vertices (all 0).  Returns it, or NULL when
 * out of memory. */
static xt_region *push_region(xt_region_list_t list, int count)
{
    if (list->count == list->capacity) {
        long capacity = list->capacity ? 2 * list->capacity : 16;
        xt_region *grown = realloc(list->regions,
                                   (size_t)capacity * sizeof *grown);
        if (!grown)
            return NULL;
        list->regions = grown;
        list->capacity = capacity;
    }
    xt_region *r = &list->regions[list->count];
    region_init(r, count);
    if (count > 0 && !r->x) {
        region_clear(r);
        return NULL;
    }
    list->count++;
    return r;
}

/* A line wx * x + wy * y + b = 0, oriented by its positive side. */
typedef struct {
    mpq_srcptr wx, wy, b;
} line;

static void line_value(mpq_t out, const line *l, const mpq_t x,
                       const mpq_t y, mpq_t tmp)
{
    mpq_mul(out, l->wx, x);
    mpq_mul(tmp, l->wy, y);
    mpq_add(out, out, tmp);
    mpq_add(out, out, l->b);
}

/* Sets (px, py) to the point where the edge from vertex i to vertex i+1
 * crosses the line, given the line's values si and sj there (of opposite
 * signs): v_i + si / (si - sj) (v_j - v_i). */
static void crossing(mpq_t px, mpq_t py, const xt_region *r, int i,
                     const mpq_t si, const mpq_t sj, mpq_t tmp)
{
    int j = (i + 1) % r->count;
    mpq_sub(tmp, si, sj);
    mpq_div(tmp, si, tmp);
    mpq_sub(px, r->x[j], r->x[i]);
    mpq_mul(px, px, tmp);
    mpq_add(px, px, r->x[i]);
    mpq_sub(py, r->y[j], r->y[i]);
    mpq_mul(py, py, tmp);
    mpq_add(py, py, r->y[i]);
}

/* Writes the part of r on the side sign (+1 or -1) of the line, given
 * the line's value s at each vertex, into a new region of out.  The part
 * has at most count + 1 vertices (a cut adds two and drops at least
 * one). */
static int keep_side(xt_region_list_t out, const xt_region *r,
                     const mpq_t *s, int sign, mpq_t tmp)
{
    xt_region *part = push_region(out, r->count + 1);
    if (!part)
        return XT_ERR_NOMEM;
    int count = 0;
    for (int i = 0; i < r->count; i++) {
        int j = (i + 1) % r->count;
        int si = mpq_sgn(s[i]) * sign, sj = mpq_sgn(s[j]) * sign;
        if (si >= 0) {
            mpq_set(part->x[count], r->x[i]);
            mpq_set(part->y[count], r->y[i]);
            count++;
        }
        if (si * sj < 0) {
            crossing(part->x[count], part->y[count], r, i, s[i], s[j], tmp);
            count++;
        }
    }
    /* Trim the unused vertex slots. */
    for (int i = count; i < part->count; i++) {
        mpq_clear(part->x[i]);
        mpq_clear(part->y[i]);
    }
    part->count = count;
    return XT_OK;
}

/* Cuts every region of in by the line and appends the parts to out.  A
 * region the line does not cross is copied whole. */
static int cut_all(xt_region_list_t out, const xt_region_list_t in,
                   const line *l)
{
    mpq_t tmp;
    mpq_init(tmp);
    int status = XT_OK;
    for (long q = 0; q < in->count && status == XT_OK; q++) {
        const xt_region *r = &in->regions[q];
        mpq_t *s = malloc((size_t)r->count * sizeof *s);
        if (!s) {
            status = XT_ERR_NOMEM;
            break;
        }
        int positive = 0, negative = 0;
        for (int i = 0; i < r->count; i++) {
            mpq_init(s[i]);
            line_value(s[i], l, r->x[i], r->y[i], tmp);
            positive |= mpq_sgn(s[i]) > 0;
            negative |= mpq_sgn(s[i]) < 0;
        }
        /* A line that is 0 on the whole region leaves it whole. */
        if (positive || !negative)
            status = keep_side(out, r, s, +1, tmp);
        if (negative && status == XT_OK)
            status = keep_side(out, r, s, -1, tmp);
        for (int i = 0; i < r->count; i++)
            mpq_clear(s[i]);
        free(s);
    }
    mpq_clear(tmp);
    return status;
}

/* Sets p to the mean of r's vertices, a point inside r. */
static void interior_point(mpq_t p[2], const xt_region *r)
{
    mpq_set_ui(p[0], 0, 1);
    mpq_set_ui(p[1], 0, 1);
    for (int i = 0; i < r->count; i++) {
        mpq_add(p[0], p[0], r->x[i]);
        mpq_add(p[1], p[1], r->y[i]);
    }
    mpq_t n;
    mpq_init(n);
    mpq_set_ui(n, (unsigned long)r->count, 1);
    mpq_div(p[0], p[0], n);
    mpq_div(p[1], p[1], n);
    mpq_clear(n);
}

static void set_box(xt_region *r, const mpq_t xlo, const mpq_t xhi,
                    const mpq_t ylo, const mpq_t yhi)
{
    mpq_set(r->x[0], xlo);
    mpq_set(r->y[0], ylo);
    mpq_set(r->x[1], xhi);
    mpq_set(r->y[1], ylo);
    mpq_set(r->x[2], xhi);
    mpq_set(r->y[2], yhi);
    mpq_set(r->x[3], xlo);
    mpq_set(r->y[3], yhi);
}

static void swap_lists(xt_region_list_t a, xt_region_list_t b)
{
    xt_region_list_struct t = *a;
    *a = *b;
    *b = t;
}

/* Cuts the regions in list along every breakline of the neurons that feed
 * output o. */
static int cut_breaklines(xt_region_list_t list, const xt_network_t net,
                          int o, xt_error_t *err)
{
    xt_region_list_t next;
    xt_region_list_init(next);
    int status = XT_OK;
    for (int j = 0; j < net->k && status == XT_OK; j++) {
        line l = {net->w[2 * j], net->w[2 * j + 1], net->b[j]};
        if (net->activation == XT_ACT_LINEAR ||
            !xt_draw_neuron_used(net, o, j) ||
            (mpq_sgn(l.wx) == 0 && mpq_sgn(l.wy) == 0))
            continue;
        status = cut_all(next, list, &l);
        swap_lists(list, next);
        xt_region_list_clear(next);
        if (status == XT_ERR_NOMEM)
            xt_error_set(err, "out of memory cutting linear regions");
        if (status == XT_OK && list->count > XT_DRAW_MAX_REGIONS) {
            xt_error_set(err, "the network has more than %d linear regions "
                         "in the picture, too many to draw",
                         XT_DRAW_MAX_REGIONS);
            status = XT_ERR_LIMIT;
        }
    }
    return status;
}

/* Sets each region's affine function from its interior point. */
static void set_functions(xt_region_list_t list, const xt_network_t net,
                          int o)
{
    mpq_t p[2], g[2];
    mpq_inits(p[0], p[1], g[0], g[1], NULL);
    for (long q = 0; q < list->count; q++) {
        xt_region *r = &list->regions[q];
        interior_point(p, r);
        xt_draw_affine(g, r->g0, net, o, p);
        mpq_set(r->gx, g[0]);
        mpq_set(r->gy, g[1]);
    }
    mpq_clears(p[0], p[1], g[0], g[1], NULL);
}

/* Applies a threshold output: cuts each region where its affine value
 * crosses 0 and makes each part constant, 1 where the value is
 * positive and 0 elsewhere. */
static int apply_threshold(xt_region_list_t list, xt_error_t *err)
{
    xt_region_list_t next;
    xt_region_list_init(next);
    int status = XT_OK;
    mpq_t p[2], v, tmp;
    mpq_inits(p[0], p[1], v, tmp, NULL);
    for (long q = 0; q < list->count && status == XT_OK; q++) {
        xt_region *r = &list->regions[q];
        line l = {r->gx, r->gy, r->g0};
        xt_region_list_t one;
        one->count = 1;
        one->capacity = 1;
        one->regions = r;
        long first = next->count;
        status = cut_all(next, one, &l);
        for (long t = first; t < next->count && status == XT_OK; t++) {
            xt_region *part = &next->regions[t];
            interior_point(p, part);
            line_value(v, &l, p[0], p[1], tmp);
            mpq_set_ui(part->gx, 0, 1);
            mpq_set_ui(part->gy, 0, 1);
            mpq_set_ui(part->g0, mpq_sgn(v) > 0 ? 1 : 0, 1);
        }
    }
    mpq_clears(p[0], p[1], v, tmp, NULL);
    swap_lists(list, next);
    xt_region_list_clear(next);
    if (status != XT_OK)
        xt_error_set(err, "out of memory cutting linear regions");
    return status;
}

int xt_draw_regions(xt_region_list_t out, const xt_network_t net, int o,
                    const mpq_t xlo, const mpq_t xhi, const mpq_t ylo,
                    const mpq_t yhi, xt_error_t *err)
{
    if (net->d != 2 || o < 0 || o >= net->m || mpq_cmp(xlo, xhi) >= 0 ||
        mpq_cmp(ylo, yhi) >= 0) {
        xt_error_set(err, "%s: needs a network with 2 inputs, an output "
                     "index below %d and a box with positive area",
                     __func__, net->m);
        return XT_ERR_INPUT;
    }
    xt_region_list_clear(out);
    xt_region *box = push_region(out, 4);
    if (!box) {
        xt_error_set(err, "out of memory computing linear regions");
        return XT_ERR_NOMEM;
    }
    set_box(box, xlo, xhi, ylo, yhi);

    int status = cut_breaklines(out, net, o, err);
    if (status == XT_OK)
        set_functions(out, net, o);
    if (status == XT_OK && net->threshold_output)
        status = apply_threshold(out, err);
    if (status != XT_OK)
        xt_region_list_clear(out);
    return status;
}

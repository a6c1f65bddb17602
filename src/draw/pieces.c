/* The affine function of a network on one cell of its breakline
 * arrangement, and the exact linear pieces of a d = 1 network. */
#include <stdlib.h>
#include "draw_internal.h"
#include "xtrain/rat.h"

int xt_draw_neuron_used(const xt_network_t net, int o, int j)
{
    return mpq_sgn(net->a[o * net->k + j]) != 0;
}

/* Adds scale * (w_j, b_j) to (g, g0). */
static void add_neuron(mpq_t *g, mpq_t g0, const xt_network_t net, int j,
                       const mpq_t scale, mpq_t tmp)
{
    for (int t = 0; t < net->d; t++) {
        mpq_mul(tmp, scale, net->w[j * net->d + t]);
        mpq_add(g[t], g[t], tmp);
    }
    mpq_mul(tmp, scale, net->b[j]);
    mpq_add(g0, g0, tmp);
}

void xt_draw_affine(mpq_t *g, mpq_t g0, const xt_network_t net, int o,
                    const mpq_t *p)
{
    mpq_t z, tmp;
    mpq_inits(z, tmp, NULL);
    for (int t = 0; t < net->d; t++)
        mpq_set_ui(g[t], 0, 1);
    if (net->has_output_bias)
        mpq_set(g0, net->c[o]);
    else
        mpq_set_ui(g0, 0, 1);

    for (int j = 0; j < net->k; j++) {
        if (!xt_draw_neuron_used(net, o, j))
            continue;
        mpq_srcptr a = net->a[o * net->k + j];
        mpq_set(z, net->b[j]);
        for (int t = 0; t < net->d; t++) {
            mpq_mul(tmp, net->w[j * net->d + t], p[t]);
            mpq_add(z, z, tmp);
        }
        int active = mpq_sgn(z) > 0;
        if (net->activation == XT_ACT_LINEAR ||
            (net->activation == XT_ACT_RELU && active))
            add_neuron(g, g0, net, j, a, tmp);
        else if (net->activation == XT_ACT_THRESHOLD && active)
            mpq_add(g0, g0, a);
    }
    mpq_clears(z, tmp, NULL);
}

void xt_piece_list_init(xt_piece_list_t list)
{
    list->count = 0;
    list->capacity = 0;
    list->pieces = NULL;
}

void xt_piece_list_clear(xt_piece_list_t list)
{
    for (long i = 0; i < list->count; i++) {
        xt_piece *p = &list->pieces[i];
        mpq_clears(p->lo, p->hi, p->slope, p->intercept, NULL);
    }
    free(list->pieces);
    xt_piece_list_init(list);
}

static int push_piece(xt_piece_list_t list, const mpq_t lo, const mpq_t hi,
                      const mpq_t slope, const mpq_t intercept,
                      xt_error_t *err)
{
    if (list->count == list->capacity) {
        long capacity = list->capacity ? 2 * list->capacity : 8;
        xt_piece *grown = realloc(list->pieces,
                                  (size_t)capacity * sizeof *grown);
        if (!grown) {
            xt_error_set(err, "out of memory storing linear pieces");
            return XT_ERR_NOMEM;
        }
        list->pieces = grown;
        list->capacity = capacity;
    }
    xt_piece *p = &list->pieces[list->count++];
    mpq_inits(p->lo, p->hi, p->slope, p->intercept, NULL);
    mpq_set(p->lo, lo);
    mpq_set(p->hi, hi);
    mpq_set(p->slope, slope);
    mpq_set(p->intercept, intercept);
    return XT_OK;
}

static int compare_rationals(const void *a, const void *b)
{
    return mpq_cmp(*(const mpq_t *)a, *(const mpq_t *)b);
}

/* Collects the distinct breakpoints -b_j / w_j strictly inside (lo, hi),
 * sorted.  cuts has room for net->k entries.  Returns how many were
 * set. */
static int collect_breakpoints(mpq_t *cuts, const xt_network_t net, int o,
                               const mpq_t lo, const mpq_t hi)
{
    int count = 0;
    if (net->activation == XT_ACT_LINEAR)
        return 0;
    for (int j = 0; j < net->k; j++) {
        if (!xt_draw_neuron_used(net, o, j) || mpq_sgn(net->w[j]) == 0)
            continue;
        mpq_div(cuts[count], net->b[j], net->w[j]);
        mpq_neg(cuts[count], cuts[count]);
        if (mpq_cmp(cuts[count], lo) > 0 && mpq_cmp(cuts[count], hi) < 0)
            count++;
    }
    qsort(cuts, (size_t)count, sizeof *cuts, compare_rationals);
    int distinct = 0;
    for (int i = 0; i < count; i++)
        if (distinct == 0 || mpq_cmp(cuts[i], cuts[distinct - 1]) != 0)
            mpq_set(cuts[distinct++], cuts[i]);
    return distinct;
}

/* Appends [lo, hi] with the output threshold applied: the piece is split
 * where slope * x + intercept crosses 0, and each part gets the constant
 * 1 where the value is positive, else 0. */
static int push_threshold_piece(xt_piece_list_t list, const mpq_t lo,
                                const mpq_t hi, const mpq_t slope,
                                const mpq_t intercept, xt_error_t *err)
{
    mpq_t root, zero, value, mid;
    mpq_inits(root, zero, value, mid, NULL);
    int status = XT_OK;
    int split = 0;
    if (mpq_sgn(slope) != 0) {
        mpq_div(root, intercept, slope);
        mpq_neg(root, root);
        split = mpq_cmp(root, lo) > 0 && mpq_cmp(root, hi) < 0;
    }
    mpq_srcptr ends[3] = {lo, split ? root : hi, hi};
    for (int part = 0; part < 1 + split && status == XT_OK; part++) {
        mpq_srcptr a = ends[part], b = ends[part + 1];
        mpq_add(mid, a, b);
        mpq_div_2exp(mid, mid, 1);
        mpq_mul(value, slope, mid);
        mpq_add(value, value, intercept);
        mpq_set_ui(value, mpq_sgn(value) > 0 ? 1 : 0, 1);
        status = push_piece(list, a, b, zero, value, err);
    }
    mpq_clears(root, zero, value, mid, NULL);
    return status;
}

int xt_draw_pieces(xt_piece_list_t out, const xt_network_t net, int o,
                   const mpq_t lo, const mpq_t hi, xt_error_t *err)
{
    if (net->d != 1 || o < 0 || o >= net->m || mpq_cmp(lo, hi) >= 0) {
        xt_error_set(err, "%s: needs a network with 1 input, an output "
                     "index below %d and an interval lo < hi", __func__,
                     net->m);
        return XT_ERR_INPUT;
    }
    xt_piece_list_clear(out);
    mpq_t *cuts = xt_rat_array_new((size_t)net->k + 2);
    mpq_t g[1], g0, mid;
    mpq_inits(g[0], g0, mid, NULL);
    int status = cuts ? XT_OK : XT_ERR_NOMEM;
    if (!cuts)
        xt_error_set(err, "out of memory computing linear pieces");

    int inner = cuts ? collect_breakpoints(cuts + 1, net, o, lo, hi) : 0;
    if (cuts) {
        mpq_set(cuts[0], lo);
        mpq_set(cuts[inner + 1], hi);
    }
    for (int i = 0; i <= inner && status == XT_OK; i++) {
        mpq_add(mid, cuts[i], cuts[i + 1]);
        mpq_div_2exp(mid, mid, 1);
        xt_draw_affine(g, g0, net, o, &mid);
        if (net->threshold_output)
            status = push_threshold_piece(out, cuts[i], cuts[i + 1], g[0],
                                          g0, err);
        else
            status = push_piece(out, cuts[i], cuts[i + 1], g[0], g0, err);
    }
    mpq_clears(g[0], g0, mid, NULL);
    xt_rat_array_free(cuts, (size_t)net->k + 2);
    if (status != XT_OK)
        xt_piece_list_clear(out);
    return status;
}

/* Verifies a convex search-tree certificate (docs/certificates.md, kind
 * "convex-tree") with rational arithmetic only: no LP and no solver code.
 *
 * The claim "no network with all output weights +1 fits every point"
 * follows by induction over the tree.  Write l_j(x) = w_j . x + b_j and
 * g_T = sum_{j in T} l_j.  Since sum_j max(0, l_j) = max_T g_T, a fitting
 * network theta satisfies every fit row c + g_T(x_i) <= y_i, and at every
 * point i some T makes it an equality.  The root has no equalities, so
 * theta satisfies them.  At an inner node that branches on point i, the
 * subset T tight at i gives a child whose equalities theta satisfies,
 * after a permutation of neurons that fixes the node's equalities (the
 * certificate needs only one subset per symmetry class; see
 * covers_subsets).  At a leaf, a Farkas ray shows that no point satisfies
 * the fit rows and the leaf's equalities, a contradiction.  The same
 * argument, for Search(E), is how Froese and Hertrich (NeurIPS 2023)
 * bound the convex case; the checker only needs its soundness. */
#include <stdlib.h>
#include <string.h>
#include "check_internal.h"
#include "xtrain/network.h"
#include "xtrain/rat.h"

/* Subsets are bit masks, so k is limited; the solver's limit is equal. */
#define CONVEX_CHECK_MAX_HIDDEN 16

typedef struct {
    const xt_instance_struct *inst;
    const char *path;
    int k, d, dim, bias_col;
    long n;
    long long full;         /* 2^k */
    long count;             /* nodes */
    long *parent;           /* -1 for the root */
    unsigned *subset;       /* edge from the parent */
    long *point;            /* branch point, -1 for a leaf */
    int *depth;
    const xt_json **ray;    /* leaves: the "farkas" array */
    long *first_child, *next_sibling;
    unsigned char *mark;    /* 2^k flags: subsets among a node's children */
    /* The equalities of the node being checked, root first. */
    long *eq_point;
    unsigned *eq_subset;
    int neq;
    mpq_t *acc;             /* dim: sum of multiplier times row */
    mpq_t sum, value, tmp;
} tree_checker;

/* Reads a nonnegative integer below limit from a JSON number. */
static int read_index(long long *out, const xt_json *v, long long limit)
{
    if (!v || v->type != XT_JSON_NUMBER || !v->text[0])
        return -1;
    long long r = 0;
    for (const char *p = v->text; *p; p++) {
        if (*p < '0' || *p > '9' || r > (limit / 10) + 1)
            return -1;
        r = r * 10 + (*p - '0');
    }
    if (r >= limit)
        return -1;
    *out = r;
    return 0;
}

/* Settings must equal the instance's: otherwise the tree proves another
 * statement.  Returns 0, or -1 with err set. */
static int check_settings(tree_checker *c, const xt_json *root, int *k,
                          xt_error_t *err)
{
    const xt_json *set = xt_json_get(root, "settings");
    const xt_json *hidden = xt_json_get(set, "hidden");
    const xt_json *loss = xt_json_get(set, "loss");
    const xt_json *bias = xt_json_get(set, "output_bias");
    const xt_json *convex = xt_json_get(set, "convex");
    const xt_json *target = xt_json_get(set, "target");
    const xt_instance_struct *inst = c->inst;
    long long hid = 0;
    xt_loss kind;
    if (read_index(&hid, hidden, XT_MAX_HIDDEN + 1) || hid < 1 || !loss ||
        loss->type != XT_JSON_STRING || xt_loss_parse(&kind, loss->text) ||
        !bias || !convex) {
        xt_error_at(err, c->path, set ? set->line : 1, "certificate "
                    "settings need hidden, loss, output_bias and convex");
        return -1;
    }
    *k = (int)hid;
    if (inst->hidden && inst->hidden != *k)
        xt_error_set(err, "certificate is for %d hidden neurons, the "
                     "instance asks for %d", *k, inst->hidden);
    else if (kind != inst->loss)
        xt_error_set(err, "certificate is for loss %s, the instance asks "
                     "for %s", loss->text, xt_loss_name(inst->loss));
    else if ((bias->type == XT_JSON_TRUE) != !!inst->output_bias)
        xt_error_set(err, "certificate and instance differ on the output "
                     "bias");
    else if ((convex->type == XT_JSON_TRUE) != !!inst->convex)
        xt_error_set(err, "certificate and instance differ on convexity");
    else if (!!target != !!inst->has_target)
        xt_error_set(err, "certificate and instance differ on the target");
    else if (target && (xt_check_json_rat(c->value, target, "target",
                                          c->path, err) ||
                        !mpq_equal(c->value, inst->target)))
        xt_error_set(err, "certificate and instance differ on the target");
    else
        return 0;
    return -1;
}

/* Reads the network and checks that it conforms and fits exactly. */
static void judge_network(tree_checker *c, xt_check_report_t rep,
                          xt_error_t *err)
{
    xt_network_t net;
    xt_network_init(net);
    if (xt_network_read_file(net, c->path, err) != XT_OK)
        goto out;
    if (net->k != c->k || net->d != c->d || net->m != 1) {
        xt_error_set(err, "%s: the network's shape does not match the "
                     "instance", c->path);
        goto out;
    }
    if (xt_network_conforms(net, c->inst, err) != XT_OK ||
        xt_network_loss(rep->upper, NULL, net, c->inst, c->inst->loss, err))
        goto out;
    rep->has_upper = 1;
    if (!c->inst->has_target || mpq_cmp(rep->upper, c->inst->target) > 0) {
        xt_error_set(err, "%s: the network does not meet the target",
                     c->path);
        goto out;
    }
    rep->verified = 1;
out:
    xt_network_clear(net);
}

/* Reads node q's parent edge and its kind into the arrays. */
static int parse_node(tree_checker *c, long q, const xt_json *item,
                      xt_error_t *err)
{
    long long v;
    const xt_json *id = xt_json_get(item, "id");
    const xt_json *parent = xt_json_get(item, "parent");
    const xt_json *subset = xt_json_get(item, "subset");
    const xt_json *point = xt_json_get(item, "point");
    const xt_json *farkas = xt_json_get(item, "farkas");
    long line = item->line;
    if (read_index(&v, id, (long long)q + 1) || v != q) {
        xt_error_at(err, c->path, line, "node %ld: \"id\" must be %ld "
                    "(nodes are listed in order)", q, q);
        return -1;
    }
    if (!point == !farkas) {
        xt_error_at(err, c->path, line, "node %ld needs exactly one of "
                    "\"point\" and \"farkas\"", q);
        return -1;
    }
    c->point[q] = -1;
    if (point) {
        if (read_index(&v, point, c->n)) {
            xt_error_at(err, c->path, line, "node %ld: point out of "
                        "range", q);
            return -1;
        }
        c->point[q] = (long)v;
    } else if (farkas->type != XT_JSON_ARRAY) {
        xt_error_at(err, c->path, line, "node %ld: \"farkas\" must be an "
                    "array", q);
        return -1;
    }
    c->ray[q] = farkas;
    c->parent[q] = -1;
    c->subset[q] = 0;
    c->depth[q] = 0;
    if (q == 0) {
        if (parent || subset) {
            xt_error_at(err, c->path, line, "node 0 is the root and has "
                        "no parent");
            return -1;
        }
        return 0;
    }
    if (read_index(&v, parent, q) || c->point[v] < 0) {
        xt_error_at(err, c->path, line, "node %ld: \"parent\" must be an "
                    "earlier inner node", q);
        return -1;
    }
    c->parent[q] = (long)v;
    c->depth[q] = c->depth[v] + 1;
    if (!subset || subset->type != XT_JSON_ARRAY) {
        xt_error_at(err, c->path, line, "node %ld: missing \"subset\"", q);
        return -1;
    }
    for (size_t t = 0; t < subset->count; t++) {
        if (read_index(&v, subset->items[t], c->k) ||
            ((c->subset[q] >> v) & 1u)) {
            xt_error_at(err, c->path, line, "node %ld: subset entries "
                        "must be distinct neurons 0..%d", q, c->k - 1);
            return -1;
        }
        c->subset[q] |= 1u << v;
    }
    return 0;
}

/* Loads the equalities of node v: edge q (root first) reads
 * c + g_T(x_i) = y_i with i the branch point above it. */
static void load_equalities(tree_checker *c, long v)
{
    c->neq = c->depth[v];
    for (int q = c->neq - 1; q >= 0; q--) {
        long p = c->parent[v];
        c->eq_point[q] = c->point[p];
        c->eq_subset[q] = c->subset[v];
        v = p;
    }
}

/* Whether T is one of the subsets node branching must cover: one per
 * class of neurons that lie in the same subsets of every equality, the
 * one taking a prefix of each class in neuron order.  Any T is mapped to
 * such a subset by a permutation within classes, which fixes the fit rows
 * and every equality. */
static int must_cover(const tree_checker *c, unsigned t)
{
    for (int j = 0; j < c->k; j++) {
        if (!((t >> j) & 1u))
            continue;
        for (int u = j - 1; u >= 0; u--) {
            int same = 1;
            for (int q = 0; q < c->neq && same; q++)
                same = ((c->eq_subset[q] >> j) & 1u) ==
                       ((c->eq_subset[q] >> u) & 1u);
            if (same) {
                if (!((t >> u) & 1u))
                    return 0;
                break;
            }
        }
    }
    return 1;
}

/* Checks that inner node v has a child for every subset it must cover.
 * The empty subset is exempt without an output bias when y_i != 0, since
 * then c + g_{} = 0 cannot equal y_i. */
static int covers_subsets(tree_checker *c, long v, xt_error_t *err)
{
    long i = c->point[v];
    load_equalities(c, v);
    int skip_empty = c->bias_col < 0 && mpq_sgn(c->inst->y[i]) != 0;
    int rc = 0;
    for (long w = c->first_child[v]; w >= 0; w = c->next_sibling[w])
        c->mark[c->subset[w]] = 1;
    for (long long t = skip_empty ? 1 : 0; t < c->full && !rc; t++)
        if (!c->mark[t] && must_cover(c, (unsigned)t)) {
            xt_error_set(err, "%s: node %ld branches on point %ld but has "
                         "no child for subset mask %lld", c->path, v, i, t);
            rc = -1;
        }
    for (long w = c->first_child[v]; w >= 0; w = c->next_sibling[w])
        c->mark[c->subset[w]] = 0;
    return rc;
}

/* acc += sign * value * grad(c + g_T(x_i)), sum += sign * value * y_i. */
static void add_pair(tree_checker *c, long i, unsigned t, int sign,
                     const mpq_t value)
{
    int d = c->d;
    const mpq_t *x = c->inst->x + i * d;
    for (int j = 0; j < c->k; j++) {
        if (!((t >> j) & 1u))
            continue;
        for (int col = 0; col <= d; col++) {
            if (col < d)
                mpq_mul(c->tmp, value, x[col]);
            else
                mpq_set(c->tmp, value);
            if (sign > 0)
                mpq_add(c->acc[j * (d + 1) + col], c->acc[j * (d + 1) + col],
                        c->tmp);
            else
                mpq_sub(c->acc[j * (d + 1) + col], c->acc[j * (d + 1) + col],
                        c->tmp);
        }
    }
    if (c->bias_col >= 0) {
        if (sign > 0)
            mpq_add(c->acc[c->bias_col], c->acc[c->bias_col], value);
        else
            mpq_sub(c->acc[c->bias_col], c->acc[c->bias_col], value);
    }
    mpq_mul(c->tmp, value, c->inst->y[i]);
    if (sign > 0)
        mpq_add(c->sum, c->sum, c->tmp);
    else
        mpq_sub(c->sum, c->sum, c->tmp);
}

/* Verifies leaf v's ray: fit rows -(c + g_T(x_i)) >= -y_i (row
 * i * 2^k + T, multiplier >= 0) and equalities c + g_T(x_i) = y_i (row
 * n * 2^k + q, any sign) must combine to 0 >= (something positive). */
static int verify_ray(tree_checker *c, long v, xt_error_t *err)
{
    const xt_json *ray = c->ray[v];
    load_equalities(c, v);
    for (int col = 0; col < c->dim; col++)
        mpq_set_ui(c->acc[col], 0, 1);
    mpq_set_ui(c->sum, 0, 1);
    long long fit_rows = (long long)c->n * c->full;
    for (size_t e = 0; e < ray->count; e++) {
        const xt_json *entry = ray->items[e];
        long long row;
        if (entry->type != XT_JSON_ARRAY || entry->count != 2 ||
            read_index(&row, entry->items[0], fit_rows + c->neq) ||
            xt_check_json_rat(c->value, entry->items[1], "multiplier",
                              c->path, err)) {
            xt_error_set(err, "%s: node %ld: ray entry %zu must be [row, "
                         "\"rational\"] with a row below %lld", c->path, v,
                         e, fit_rows + c->neq);
            return -1;
        }
        if (row < fit_rows) {
            if (mpq_sgn(c->value) < 0) {
                xt_error_set(err, "%s: node %ld: negative multiplier on "
                             "fit row %lld", c->path, v, row);
                return -1;
            }
            add_pair(c, (long)(row / c->full), (unsigned)(row % c->full),
                     -1, c->value);
        } else {
            int q = (int)(row - fit_rows);
            add_pair(c, c->eq_point[q], c->eq_subset[q], 1, c->value);
        }
    }
    for (int col = 0; col < c->dim; col++)
        if (mpq_sgn(c->acc[col])) {
            xt_error_set(err, "%s: node %ld: Farkas ray: A^T y is not 0 in "
                         "column %d", c->path, v, col);
            return -1;
        }
    if (mpq_sgn(c->sum) <= 0) {
        xt_error_set(err, "%s: node %ld: Farkas ray: b . y is not "
                     "positive", c->path, v);
        return -1;
    }
    return 0;
}

static int alloc_tree(tree_checker *c, long count)
{
    size_t m = (size_t)(count ? count : 1);
    c->count = count;
    c->parent = malloc(m * sizeof *c->parent);
    c->subset = malloc(m * sizeof *c->subset);
    c->point = malloc(m * sizeof *c->point);
    c->depth = malloc(m * sizeof *c->depth);
    c->ray = malloc(m * sizeof *c->ray);
    c->first_child = malloc(m * sizeof *c->first_child);
    c->next_sibling = malloc(m * sizeof *c->next_sibling);
    c->eq_point = malloc(m * sizeof *c->eq_point);
    c->eq_subset = malloc(m * sizeof *c->eq_subset);
    c->acc = xt_rat_array_new((size_t)c->dim + 1);
    c->mark = calloc((size_t)c->full, 1);
    int ok = c->mark && c->parent && c->subset && c->point && c->depth &&
             c->ray && c->first_child && c->next_sibling && c->eq_point &&
             c->eq_subset && c->acc;
    return ok ? 0 : -1;
}

static void free_tree(tree_checker *c)
{
    free(c->parent);
    free(c->subset);
    free(c->point);
    free(c->depth);
    free(c->ray);
    free(c->first_child);
    free(c->next_sibling);
    free(c->eq_point);
    free(c->eq_subset);
    xt_rat_array_free(c->acc, (size_t)c->dim + 1);
    free(c->mark);
}

/* Parses the node list and links children; then checks every node. */
static int check_tree(tree_checker *c, const xt_json *nodes,
                      xt_error_t *err)
{
    if (!nodes || nodes->type != XT_JSON_ARRAY || nodes->count == 0) {
        xt_error_set(err, "%s: an infeasibility certificate needs a "
                     "nonempty \"nodes\" array", c->path);
        return -1;
    }
    if (alloc_tree(c, (long)nodes->count)) {
        xt_error_set(err, "out of memory");
        return -1;
    }
    for (long q = 0; q < c->count; q++) {
        c->first_child[q] = c->next_sibling[q] = -1;
        if (nodes->items[q]->type != XT_JSON_OBJECT ||
            parse_node(c, q, nodes->items[q], err))
            return -1;
    }
    for (long q = c->count - 1; q > 0; q--) {
        c->next_sibling[q] = c->first_child[c->parent[q]];
        c->first_child[c->parent[q]] = q;
    }
    for (long q = 0; q < c->count; q++) {
        int rc = c->point[q] >= 0 ? covers_subsets(c, q, err)
                                  : verify_ray(c, q, err);
        if (rc)
            return -1;
    }
    return 0;
}

static void setup(tree_checker *c, const xt_instance_t inst, int k)
{
    c->k = k;
    c->d = inst->d;
    c->n = inst->n;
    c->full = 1LL << k;
    c->dim = k * (inst->d + 1);
    c->bias_col = inst->output_bias ? c->dim++ : -1;
}

/* Checks the claim "infeasible" (the tree) or "feasible" (the network). */
static void judge(tree_checker *c, xt_check_report_t rep,
                  const xt_json *root, const char *claim, xt_error_t *err)
{
    const xt_instance_struct *inst = c->inst;
    if (!strcmp(claim, "feasible")) {
        judge_network(c, rep, err);
        return;
    }
    if (strcmp(claim, "infeasible") != 0) {
        xt_error_set(err, "certificate claims \"%s\", which proves nothing",
                     claim);
        return;
    }
    if (!inst->convex || !inst->has_target || mpq_sgn(inst->target) ||
        inst->m != 1 || inst->activation != XT_ACT_RELU) {
        xt_error_set(err, "convex-tree certificates prove infeasibility "
                     "only for convex one-output ReLU instances with "
                     "target 0");
        return;
    }
    if (check_tree(c, xt_json_get(root, "nodes"), err) == 0) {
        rep->patterns = c->count;
        rep->verified = rep->infeasible = 1;
    }
}

int xt_check_convex(xt_check_report_t rep, const xt_instance_t inst,
                    const xt_json *root, const char *path, xt_error_t *err)
{
    tree_checker c;
    memset(&c, 0, sizeof c);
    c.inst = inst;
    c.path = path;
    int k = 0, rc = XT_OK;
    const xt_json *claim = xt_json_get(root, "claim");
    mpq_inits(c.sum, c.tmp, c.value, NULL);
    if (check_settings(&c, root, &k, err)) {
        /* Rejected: verified stays 0. */
    } else if (k > CONVEX_CHECK_MAX_HIDDEN) {
        xt_error_set(err, "%s: convex-tree certificates have at most %d "
                     "hidden neurons", path, CONVEX_CHECK_MAX_HIDDEN);
    } else if (!claim || claim->type != XT_JSON_STRING) {
        xt_error_at(err, path, 1, "certificate needs \"claim\"");
        rc = XT_ERR_INPUT;
    } else {
        setup(&c, inst, k);
        judge(&c, rep, root, claim->text, err);
    }
    free_tree(&c);
    mpq_clears(c.sum, c.tmp, c.value, NULL);
    return rc;
}

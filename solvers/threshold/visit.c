/* Visiting solutions, and the vertex solutions around each of them.
 *
 * A solution fixes every hidden neuron's activation set and the output
 * function.  The weights that realize each of them form a polyhedron (see
 * vertices.c), and any choice of points from these polyhedra gives a
 * network with the same classification.  A reduction's backward map must work for all of
 * them, so with a vertex limit the visitor also receives the networks built
 * from their vertices: every combination when there are at most
 * vertex_limit combinations, otherwise each vertex of one polyhedron with
 * the other parts of the solution unchanged. */
#include <stdlib.h>
#include <string.h>
#include "threshold_internal.h"
#include "xtrain/rat.h"

/* Vertex lists of the k + 1 parts: index j < k is neuron j (d + 1
 * numbers per vertex), index k the output (k + 1 numbers per vertex). */
typedef struct {
    mpq_t *list[XT_THR_MAX_K + 1];
    long count[XT_THR_MAX_K + 1];
    int width[XT_THR_MAX_K + 1];
} vertex_lists;

/* One cached vertex list: the activation set over the points (or over
 * the codes, for the output) with the number of values per vertex. */
typedef struct {
    uint64_t *set;
    size_t words;
    int kind;           /* 0: a hidden neuron, 1: the output */
    int width;
    long count;
    mpq_t *list;
} cache_entry;

struct xt_thr_vertex_cache {
    cache_entry *entries;
    size_t count, capacity;
};

struct xt_thr_vertex_cache *xt_thr_vertex_cache_new(void)
{
    return calloc(1, sizeof(struct xt_thr_vertex_cache));
}

void xt_thr_vertex_cache_free(struct xt_thr_vertex_cache *cache)
{
    if (!cache)
        return;
    for (size_t e = 0; e < cache->count; e++) {
        cache_entry *c = &cache->entries[e];
        free(c->set);
        if (c->count > 0)
            xt_rat_array_free(c->list, (size_t)c->count * (size_t)c->width);
    }
    free(cache->entries);
    free(cache);
}

/* Looks set up in the cache, or enumerates its vertices and stores them.
 * Sets *list and *count (count <= 0: no vertices to use); the cache keeps
 * ownership.  Returns XT_OK or XT_ERR_NOMEM. */
static int cached_vertices(struct xt_thr_vertex_cache *cache, int kind,
                           const mpq_t *x, long n, int d,
                           const uint64_t *set, long limit, mpq_t **list,
                           long *count)
{
    size_t words = (size_t)(n + 63) / 64 + 1;
    for (size_t e = 0; e < cache->count; e++) {
        cache_entry *c = &cache->entries[e];
        if (c->kind == kind && c->width == d + 1 && c->words == words &&
            !memcmp(c->set, set, words * sizeof(uint64_t))) {
            *list = c->list;
            *count = c->count;
            return XT_OK;
        }
    }
    if (cache->count == cache->capacity) {
        size_t cap = cache->capacity ? 2 * cache->capacity : 32;
        cache_entry *grown = realloc(cache->entries, cap * sizeof *grown);
        if (!grown)
            return XT_ERR_NOMEM;
        cache->entries = grown;
        cache->capacity = cap;
    }
    cache_entry *c = &cache->entries[cache->count];
    c->set = malloc(words * sizeof(uint64_t));
    if (!c->set)
        return XT_ERR_NOMEM;
    memcpy(c->set, set, words * sizeof(uint64_t));
    c->words = words;
    c->kind = kind;
    c->width = d + 1;
    c->list = NULL;
    c->count = xt_thr_vertices(&c->list, x, n, d, set, limit, limit);
    if (c->count == -1) {
        free(c->set);
        return XT_ERR_NOMEM;
    }
    cache->count++;
    *list = c->list;
    *count = c->count;
    return XT_OK;
}

static int neuron_vertices(vertex_lists *v, const xt_thr_task *task,
                           const xt_network_t net, int j)
{
    const xt_instance_struct *inst = task->inst;
    int d = inst->d;
    size_t words = (size_t)(inst->n + 63) / 64 + 1;
    uint64_t *set = calloc(words, sizeof(uint64_t));
    mpq_t *wb = xt_rat_array_new((size_t)d + 1);
    if (!set || !wb) {
        free(set);
        xt_rat_array_free(wb, (size_t)d + 1);
        return XT_ERR_NOMEM;
    }
    for (int t = 0; t < d; t++)
        mpq_set(wb[t], net->w[j * d + t]);
    mpq_set(wb[d], net->b[j]);
    xt_thr_activation_set(set, wb, inst->x, inst->n, d);
    v->width[j] = d + 1;
    int rc = cached_vertices(task->cache, 0, inst->x, inst->n, d, set,
                             task->vertex_limit, &v->list[j],
                             &v->count[j]);
    free(set);
    xt_rat_array_free(wb, (size_t)d + 1);
    return rc;
}

/* Vertices of the output polyhedron over all 2^k codes, for a threshold
 * output with bias (without bias the polyhedron is a cone). */
static int output_vertices(vertex_lists *v, const xt_thr_task *task,
                           const xt_network_t net)
{
    int k = net->k, codes = 1 << k;
    v->width[k] = k + 1;
    if (!net->threshold_output || !net->has_output_bias)
        return XT_OK;
    mpq_t *cube = xt_rat_array_new((size_t)codes * (size_t)k);
    mpq_t *ac = xt_rat_array_new((size_t)k + 1);
    if (!cube || !ac) {
        xt_rat_array_free(cube, (size_t)codes * (size_t)k);
        xt_rat_array_free(ac, (size_t)k + 1);
        return XT_ERR_NOMEM;
    }
    for (int h = 0; h < codes; h++)
        for (int j = 0; j < k; j++)
            mpq_set_ui(cube[h * k + j], (unsigned)((h >> j) & 1), 1);
    for (int j = 0; j < k; j++)
        mpq_set(ac[j], net->a[j]);
    mpq_set(ac[k], net->c[0]);
    uint64_t set[2] = {0, 0};
    xt_thr_activation_set(set, ac, cube, codes, k);
    int rc = cached_vertices(task->cache, 1, cube, codes, k, set,
                             task->vertex_limit, &v->list[k], &v->count[k]);
    xt_rat_array_free(cube, (size_t)codes * (size_t)k);
    xt_rat_array_free(ac, (size_t)k + 1);
    return rc;
}

/* Writes vertex choice[p] of every part p with a list into out. */
static void apply_choice(xt_network_t out, const vertex_lists *v,
                         const long *choice, int k, int d)
{
    for (int p = 0; p <= k; p++) {
        if (v->count[p] <= 0 || choice[p] < 0)
            continue;
        const mpq_t *z = v->list[p] + choice[p] * v->width[p];
        if (p < k) {
            for (int t = 0; t < d; t++)
                mpq_set(out->w[p * d + t], z[t]);
            mpq_set(out->b[p], z[d]);
        } else {
            for (int j = 0; j < k; j++)
                mpq_set(out->a[j], z[j]);
            mpq_set(out->c[0], z[k]);
        }
    }
}

/* Checks that a vertex network has the solution's loss, then visits. */
static int visit_variant(const xt_thr_task *task, const xt_network_t net,
                         const mpq_t loss, xt_error_t *err)
{
    mpq_t check;
    mpq_init(check);
    int rc = xt_network_loss(check, NULL, net, task->inst,
                             XT_LOSS_ZERO_ONE, err);
    if (rc == XT_OK && !mpq_equal(check, loss)) {
        xt_error_set(err, "self-check failed: a vertex solution "
                     "classifies the points differently from its "
                     "solution");
        rc = XT_ERR_INTERNAL;
    }
    mpq_clear(check);
    return rc == XT_OK ? task->visit(task->visit_data, net) : rc;
}

/* Advances the mixed-radix counter choice over the parts with lists. */
static int next_choice(long *choice, const vertex_lists *v, int k)
{
    for (int p = 0; p <= k; p++) {
        if (v->count[p] <= 0)
            continue;
        if (++choice[p] < v->count[p])
            return 1;
        choice[p] = 0;
    }
    return 0;
}

static int visit_vertices(const xt_thr_task *task, const xt_network_t net,
                          const vertex_lists *v, xt_error_t *err)
{
    int k = net->k, d = net->d;
    long choice[XT_THR_MAX_K + 1];
    double product = 1;
    int parts = 0;
    for (int p = 0; p <= k; p++)
        if (v->count[p] > 0) {
            product *= (double)v->count[p];
            parts++;
        }
    if (parts == 0)
        return XT_OK;
    xt_network_t variant;
    xt_network_init(variant);
    mpq_t loss;
    mpq_init(loss);
    int rc = xt_network_set(variant, net);
    if (rc == XT_OK)
        rc = xt_network_loss(loss, NULL, net, task->inst, XT_LOSS_ZERO_ONE,
                             err);
    if (rc == XT_OK && product <= (double)task->vertex_limit) {
        for (int p = 0; p <= k; p++)
            choice[p] = v->count[p] > 0 ? 0 : -1;
        do {
            apply_choice(variant, v, choice, k, d);
            rc = visit_variant(task, variant, loss, err);
        } while (rc == XT_OK && next_choice(choice, v, k));
    }
    for (int p = 0; rc == XT_OK && p <= k &&
                    product > (double)task->vertex_limit; p++) {
        for (long c = 0; rc == XT_OK && c < v->count[p]; c++) {
            for (int q = 0; q <= k; q++)
                choice[q] = q == p ? c : -1;
            xt_network_set(variant, net);
            apply_choice(variant, v, choice, k, d);
            rc = visit_variant(task, variant, loss, err);
        }
    }
    mpq_clear(loss);
    xt_network_clear(variant);
    return rc;
}

int xt_thr_visit_all(const xt_thr_task *task, const xt_network_t net,
                     xt_error_t *err)
{
    int rc = task->visit(task->visit_data, net);
    if (rc != XT_OK || task->vertex_limit <= 0)
        return rc;
    vertex_lists v;
    memset(&v, 0, sizeof v);
    for (int j = 0; j < net->k && rc == XT_OK; j++)
        rc = neuron_vertices(&v, task, net, j);
    if (rc == XT_OK)
        rc = output_vertices(&v, task, net);
    if (rc == XT_OK)
        rc = visit_vertices(task, net, &v, err);
    else
        xt_error_set(err, "out of memory");
    return rc;
}

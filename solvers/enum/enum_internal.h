/* Private declarations of the enumeration solver.
 *
 * Two searches share this header.  The plain enumeration (flat.c, used
 * by --naive) solves the subproblem of every pattern exactly.  The
 * default search (search.c) walks a tree whose node at depth m fixes the
 * activation of every neuron on the first m points of an order.  It
 * bounds the loss of all patterns below a node by the subproblem
 * restricted to those points plus a proven lower bound for the remaining
 * points, and prunes with that bound against the incumbent. */
#ifndef XT_ENUM_INTERNAL_H
#define XT_ENUM_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include "xtrain/arrangement.h"
#include "xtrain/instance.h"
#include "xtrain/lp.h"
#include "xtrain/network.h"
#include "xtrain/solve.h"

/* One activation pattern: a sign a_j in {+1, -1} and an active set (an
 * index into the dichotomy list) for every neuron. */
typedef struct {
    int k;
    int *sign;          /* k entries, +1 or -1 */
    size_t *set;        /* k entries, indices into the dichotomy list */
} xt_pattern;

/* Column layout of a pattern's problem:
 *   neuron j: w_j at j*(d+1) .. j*(d+1)+d-1, b_j at j*(d+1)+d;
 *   then the output bias c (when allowed);
 *   then the loss variables: e_1..e_n for l1, one s for linf. */
typedef struct {
    int d, k;
    long n;             /* points of the problem (a subset may be fewer) */
    int has_bias;
    xt_loss loss;
    int bias_col;       /* -1 when there is no output bias */
    int aux_col;        /* first loss variable, -1 for l2 */
    int ncols;
} xt_pattern_layout;

/* Sets the layout for a problem over npoints of inst's points. */
void xt_pattern_layout_set(xt_pattern_layout *lay, const xt_instance_t inst,
                           int k, long npoints);

/* The subproblem of a pattern restricted to the points pts[0..npts-1]
 * (increasing instance indices), where neuron j is active on point
 * pts[r] when active[j * npts + r] is nonzero.  Built into lp, which
 * must be initialized with lay->ncols columns (lay set for npts points).
 * Row order: for each neuron j, for each r, the activation row of
 * (j, pts[r]); then for l1 and linf, for each r, the rows
 * "aux - r_i >= 0" and "aux + r_i >= 0" where r_i = f(x_i) - y_i.
 * pts NULL means the points 0..npts-1.  Returns XT_OK or XT_ERR_NOMEM
 * (some rows are then missing). */
int xt_pattern_build_subset(xt_lp_t lp, const xt_pattern_layout *lay,
                            const xt_instance_t inst, const long *pts,
                            long npts, const int *sign,
                            const unsigned char *active);

/* The full pattern's subproblem (all points, sets from the list). */
int xt_pattern_build(xt_lp_t lp, const xt_pattern_layout *lay,
                      const xt_instance_t inst,
                      const xt_dichotomy_list *sets, const xt_pattern *pat);

/* Converts a solution vector to a network (signs as output weights). */
void xt_pattern_network(xt_network_t net, const xt_pattern_layout *lay,
                        const int *sign, const mpq_t *x);

/* ---- Certificates (certificate.c) ---- */

/* A JSON file streamed while the search runs.  Entries may come from
 * several threads; the lock keeps each one whole. */
typedef struct {
    FILE *stream;       /* the file; NULL on MPI ranks other than 0 */
    long entries;       /* in the current list (or part) */
    long dolls;         /* suffix proofs begun */
    int k, stage, open;
    int written;        /* the current list has entries in the file */
    int failed;         /* an entry could not be stored */
    /* With several MPI processes the entries of the current list are
     * kept in memory and gathered by rank 0 at its end. */
    int buffered;
    FILE *part;
    char *part_buf;
    size_t part_len;
    pthread_mutex_t lock;
} xt_enum_certificate;

/* One entry: a pattern on the points pts (increasing instance indices;
 * NULL with npts = n means all points) and the solved subproblem.  When
 * depth >= 0 the entry is a tree node that covers the first depth points
 * of the current order ("points": depth). */
typedef struct {
    int k;
    const int *sign;
    const long *pts;
    long npts;
    const unsigned char *active;   /* k * npts, as in build_subset */
    long depth;                    /* -1 for a full pattern */
} xt_enum_entry;

/* Opens the file (on MPI rank 0 only).  shared: the processes search
 * disjoint parts of the tree, so their entries are gathered. */
int xt_enum_certificate_open(xt_enum_certificate *cert, const char *path,
                             const xt_instance_t inst, int k, int shared,
                             xt_error_t *err);
/* Writes "order" and opens the list of lower bounds for suffixes. */
void xt_enum_certificate_order(xt_enum_certificate *cert, const long *order,
                               long n);
/* Opens the proof of the suffix bound for the last s points. */
void xt_enum_certificate_rest_begin(xt_enum_certificate *cert, long s);
/* Closes it with the proven lower bound. */
void xt_enum_certificate_rest_end(xt_enum_certificate *cert,
                                  const mpq_t lower);
/* Opens the main list of patterns.  Closes an unfinished suffix proof
 * first, with the bound 0.  With MPI every process must call it. */
void xt_enum_certificate_main(xt_enum_certificate *cert);
/* An entry with an LP or QP result from src/lp (rows in the documented
 * order). */
void xt_enum_certificate_result(xt_enum_certificate *cert,
                                const xt_enum_entry *e,
                                const xt_lp_result_t lpres, int is_qp);
/* An l2 entry with a dual bound: multipliers y (one per row) and a point
 * x with 2 M^T (M x - t) = A^T y. */
void xt_enum_certificate_wolfe(xt_enum_certificate *cert,
                               const xt_enum_entry *e, const mpq_t bound,
                               const mpq_t *y, long nrows, const mpq_t *x,
                               int ncols);
int xt_enum_certificate_close(xt_enum_certificate *cert, const char *claim,
                              const xt_network_t net, const mpq_t loss,
                              xt_error_t *err);

/* ---- The dichotomies of a point sequence as a binary trie (tree.c) ---- */

/* The affine dichotomies of the points pts[0..s-1], as bitsets over the
 * positions 0..s-1, sorted so that position 0 decides first, then
 * position 1, and so on (0 before 1).  The sets that agree on positions
 * 0..m-1 then form one contiguous range: a node of the trie at depth m.
 * Ranges at one depth are disjoint, so comparing their first indices
 * orders them. */
typedef struct {
    long s;
    const long *pts;
    xt_dichotomy_list sets;
} xt_enum_tree;

/* Enumerates and sorts.  max_count as for xt_dichotomies. */
int xt_enum_tree_build(xt_enum_tree *T, const xt_instance_t inst,
                       const long *pts, long s, size_t max_count,
                       xt_error_t *err);
void xt_enum_tree_clear(xt_enum_tree *T);

/* The tree of the last s positions of full: the restrictions of its
 * sets, sorted, without repeats.  The restriction of an affine dichotomy
 * to a subset of the points is a dichotomy of the subset.  Conversely,
 * a function that separates a dichotomy of the subset can be perturbed
 * until it is zero on no point, and its signs on all points then give a
 * dichotomy of full that restricts to it.  So these are exactly the
 * subset's dichotomies. */
int xt_enum_tree_restrict(xt_enum_tree *T, const xt_enum_tree *full,
                          long s, xt_error_t *err);

/* The first index in [lo, hi) whose set contains position pos, or hi;
 * the sets in [lo, hi) must agree on positions before pos. */
size_t xt_enum_tree_split(const xt_enum_tree *T, size_t lo, size_t hi,
                          long pos);


/* ---- Integer form of the data (data.c) ---- */

/* The data scaled to integers: X_i = D_x x_i and T_i = D_y y_i, with D_x
 * and D_y the least common multiples of the denominators.  A network
 * (w, b, c) on the scaled data gives (D_x w / D_y, b / D_y, c / D_y) on
 * the original data, and the l2 loss scales by D_y^2. */
typedef struct {
    int d, k, p;        /* inputs, neurons, weight columns k(d+1) + bias */
    long n;
    int bias_col;       /* p - 1 with an output bias, else -1 */
    int64_t *v;         /* n*(d+1): (X_i, 1) */
    int64_t *t;         /* n */
    double *vd;         /* the same as doubles */
    double *vinv;       /* 1 / |V_i| (Euclidean norm) */
    mpz_t dx, dy;
    int fits;           /* 1 when the fast l2 path is exact in int64 and
                           double (see data.c) */
} xt_enum_data;

int xt_enum_data_init(xt_enum_data *D, const xt_instance_t inst, int k);
void xt_enum_data_clear(xt_enum_data *D);

/* ---- The numeric QP of a node (qp_numeric.c) ---- */

/* Maximum number of weight columns, k(d+1) + 1, of the fast l2 path.
 * Larger problems solve every node with src/lp. */
#define XT_ENUM_FAST_COLS 64

/* The l2 problem of a tree node in scaled integers, over the points
 * pts[0..m-1]:
 *
 *     minimize  ||M th - T||^2 = th.G th - 2 h.th + tt
 *     s.t.      sigma_{r,j} (V_{pts[r]} . th_j) >= 0  for each r and j,
 *
 * where th_j is neuron j's block (w_j, b_j) and sigma is +1 where the
 * neuron is active.  Rows are numbered r * k + j, so a child node (one
 * more point) keeps the row numbers of its parent. */
typedef struct {
    int p, k, d1;       /* columns, neurons, d + 1 */
    long m;             /* points */
    const int64_t *g;   /* p*p */
    const int64_t *h;   /* p */
    int64_t tt;
    const int64_t *v;   /* the data's (X_i, 1) rows */
    const double *vd;
    const double *vinv; /* 1 / |V_i| */
    const long *pts;    /* m points, in tree order */
    const signed char *sigma; /* m*k, row order */
} xt_node_qp;

/* Scratch of the numeric solver; one per thread. */
typedef struct {
    int p, cap;         /* columns, capacity for working rows */
    double *kkt, *rhs, *th, *z, *rho, *lam;
    int *w;             /* working set: row numbers */
    int nw;
} xt_qpnum;

int xt_qpnum_init(xt_qpnum *S, int p);
void xt_qpnum_clear(xt_qpnum *S);

/* Minimizes the node QP in double precision by a dual active-set method
 * (Goldfarb and Idnani, Math. Programming 27, 1983) on a slightly
 * regularized Hessian, starting from the rows in hint (a working set of a
 * related problem; NULL for none).  Returns 1 with *value the objective
 * and S->w / S->nw the final working set, or 0 when it failed.  Nothing
 * exact depends on it. */
int xt_qpnum_solve(xt_qpnum *S, const xt_node_qp *P, const int *hint,
                   int nhint, double *value);

/* ---- Exact certification of a working set (qp_exact.c) ---- */

typedef struct {
    int p, side;
    mpz_t *a;                         /* side x (side + 1) scratch */
    mpz_t *gn;                        /* side x side: G N */
    mpz_t *zmat;                      /* side x side: null space of the
                                         normal equations */
    mpz_t *nval;                      /* null-space columns, side each */
    mpz_t *rvec, *unum, *th, *grad;   /* side each */
    int *nstart, *nwidth;             /* block of each null column */
    int *pivcol, *perm, *list;        /* side each */
    mpz_t den, det, tmp, value_num;
    int *wrow;                        /* the working rows, as given */
    mpq_t *y;                         /* multiplier of each working row */
    mpq_t *x;                         /* p: the point */
    mpq_t value;                      /* ||M x - T||^2 */
    int ny;
    int feasible;                     /* x satisfies every row */
} xt_qpexact;

int xt_qpexact_init(xt_qpexact *E, int p, int d1);
void xt_qpexact_clear(xt_qpexact *E);

/* Minimizes the node QP exactly with the rows w[0..nw-1] as equations
 * and checks the multipliers.  Returns 1 when they are all >= 0: then
 * E->value is a lower bound on the node's optimum (Wolfe duality), with
 * E->x and E->y (on E->wrow) as its certificate.  With check_feasible,
 * E->feasible is 1 when x satisfies every row, and then the value is the
 * optimum.  Returns 0 when the working set gives no bound: a multiplier
 * is negative, or the set has more rows than the problem has columns. */
int xt_qpexact_certify(xt_qpexact *E, const xt_node_qp *P, const int *w,
                       int nw, int check_feasible);

/* ---- The tree search (search.c) and its driver (enum.c) ---- */

typedef struct xt_enum_search xt_enum_search;

/* A node of the search tree: neuron j's sets are the range
 * [lo[j], hi[j]) of the tree's sorted dichotomies, which all agree on
 * the node's points.  For the fast l2 path it keeps the node QP's sums
 * and the numeric working set. */
typedef struct {
    size_t *lo, *hi;    /* k each */
    int64_t *g, *h;     /* p*p and p */
    int64_t tt;
    int *w;             /* numeric working set, row numbers */
    int nw;
    double value;       /* numeric lower bound (original units) */
    unsigned bits;      /* activity of each neuron at the last point */
} xt_enum_node;

/* A subtree to search: a node at some depth with the signs of its sign
 * class and the activity of every neuron on the points above it. */
typedef struct {
    xt_enum_node node;
    long depth;
    int *sign;          /* k */
    signed char *sigma; /* depth * k */
} xt_enum_task;


/* The state shared by the workers of one tree search. */
struct xt_enum_search {
    const xt_instance_struct *inst;
    const xt_solve_options *opt;
    xt_solve_result_struct *res;
    xt_enum_data data;
    xt_pattern_layout lay;      /* all points, for networks */
    int k, p, d1, fast, threads;
    int rank, size;             /* this MPI process and their number */
    int combine_max;            /* linf: bounds combine by maximum */
    long n;
    long *order;                /* n: the point order */
    mpq_t *lower;               /* n + 1: lower[t] bounds the loss of
                                   every network on the last t points */
    double *lower_d;            /* the same, rounded down */
    mpq_t dy2;                  /* D_y^2: scaled l2 values over this */
    double dy2_d;

    /* The current problem: the last s points of the order. */
    long s;
    const long *pts;
    xt_enum_tree tree;
    xt_enum_tree full;          /* the dichotomies of all n points */
    int has_full;
    int is_main;                /* s = n: the target applies */
    xt_enum_task *tasks;
    long ntasks, next_task;

    /* The incumbent, under lock.  best_task orders ties: -1 for a
     * network given before the search, else the task that found it. */
    pthread_mutex_t lock;
    int has_best;
    mpq_t best;
    xt_network_t best_net;
    long best_task;
    _Atomic double limit_d;     /* the incumbent, or the target when
                                   lower, rounded; INFINITY for none */
    _Atomic int stop;
    int error;                  /* first error code of a worker */
    xt_error_t err;

    xt_enum_certificate *cert;  /* NULL without a certificate */
    double start;
    long nodes, leaves, pruned, exact, fallbacks;
};

/* Splits the current problem into tasks (the nodes at a fixed depth, in
 * the order a sequential search visits them) and searches them with
 * s->threads workers.  On return s->best is the optimum of the problem
 * (or the incumbent at a stop). */
int xt_enum_search_run(xt_enum_search *s);

/* Sets s->limit_d from the incumbent and the target; caller holds the
 * lock or runs alone. */
void xt_enum_search_set_limit(xt_enum_search *s);

/* The exact loss of net on the points pts[0..count-1] of inst. */
int xt_enum_loss_on_points(mpq_t loss, const xt_network_t net,
                           const xt_instance_struct *inst, const long *pts,
                           long count, xt_error_t *err);

/* The plain enumeration (flat.c); cert may be NULL. */
int xt_enum_flat(xt_solve_result_struct *res, const xt_instance_struct *inst,
                 const xt_solve_options *opt, xt_enum_certificate *cert,
                 double start, xt_error_t *err);

/* 1 when the flat enumeration must stop: the target is met, Ctrl-C, or
 * the time limit (the flags in res are set). */
int xt_enum_should_stop(xt_solve_result_struct *res,
                        const xt_instance_struct *inst,
                        const xt_solve_options *opt, double start);


/* ---- MPI (mpi.c); single-process stand-ins without XT_MPI ---- */

/* 1 when built with MPI. */
int xt_enum_mpi_compiled(void);
/* Initializes MPI when the process was started by an MPI launcher. */
int xt_enum_mpi_start(void);
/* Number of processes (1 without MPI). */
int xt_enum_mpi_size(void);
/* After a search of the current problem: combines the stop flags, the
 * error codes (rc is this process's) and the incumbents of all
 * processes.  Returns the combined error code. */
int xt_enum_mpi_merge(xt_enum_search *s, int rc, xt_error_t *err);
/* Sums count values over the processes, in place. */
void xt_enum_mpi_sum(long *values, int count);
/* Gathers the texts of all processes at rank 0, joined by ",\n" where
 * both sides are nonempty; *out is malloc'd (NULL on other ranks). */
int xt_enum_mpi_gather(const char *text, size_t len, char **out,
                       size_t *out_len);

#endif

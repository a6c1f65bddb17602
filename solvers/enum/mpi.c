/* The tree search shared among MPI processes (a build with XT_MPI, run
 * as `mpirun -n P xtrain solve ...`).
 *
 * Every process builds the same task list (it does not depend on the
 * number of threads or processes) and searches the tasks q with
 * q mod P = rank, with its own incumbent.  After each suffix problem the
 * processes exchange their incumbents and all keep the best one, ties
 * going to the lower task index as inside one process, so the result is
 * the one a single process finds.  Certificate entries are collected in
 * memory and gathered by rank 0, which writes the file.  Only the main
 * thread calls MPI.  Without XT_MPI, or when the process was not started
 * by an MPI launcher, everything here is a single process. */
#include <stdlib.h>
#include <string.h>
#include "enum_internal.h"
#include "xtrain/rat.h"
#ifdef XT_HAVE_MPI
#include <mpi.h>
#endif

static int mpi_rank = 0, mpi_size = 1;

int xt_enum_mpi_compiled(void)
{
#ifdef XT_HAVE_MPI
    return 1;
#else
    return 0;
#endif
}

#ifdef XT_HAVE_MPI
static int mpi_started = 0;

static void finalize_at_exit(void)
{
    int done = 0;
    MPI_Finalized(&done);
    if (!done)
        MPI_Finalize();
}

/* Open MPI's and PMIx's launchers set these variables. */
static int launched_by_mpirun(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") ||
           getenv("PMI_SIZE");
}
#endif

int xt_enum_mpi_start(void)
{
#ifdef XT_HAVE_MPI
    if (mpi_started || !launched_by_mpirun())
        return XT_OK;
    int ready = 0, provided;
    MPI_Initialized(&ready);
    if (!ready) {
        if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) !=
            MPI_SUCCESS)
            return XT_ERR_INTERNAL;
        atexit(finalize_at_exit);
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &mpi_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &mpi_size);
    mpi_started = 1;
#endif
    return XT_OK;
}

int xt_solve_rank(void)
{
    return mpi_rank;
}

int xt_enum_mpi_size(void)
{
    return mpi_size;
}

#ifdef XT_HAVE_MPI
/* Gathers every process's text at every process (all = 1) or at rank
 * 0.  *out is malloc'd and contains the texts in rank order, each ending
 * with a NUL byte. */
static int gather_texts(const char *text, size_t len, int all, char **out,
                        int **lens)
{
    int mine = (int)len + 1;
    *lens = malloc((size_t)mpi_size * sizeof **lens);
    int *displs = malloc((size_t)mpi_size * sizeof *displs);
    char *send = malloc((size_t)mine);
    if (!*lens || !displs || !send) {
        free(displs);
        free(send);
        return XT_ERR_NOMEM;
    }
    memcpy(send, text, len);
    send[len] = 0;
    MPI_Allgather(&mine, 1, MPI_INT, *lens, 1, MPI_INT, MPI_COMM_WORLD);
    size_t total = 0;
    for (int r = 0; r < mpi_size; r++) {
        displs[r] = (int)total;
        total += (size_t)(*lens)[r];
    }
    *out = malloc(total + 1);
    if (all)
        MPI_Allgatherv(send, mine, MPI_CHAR, *out, *lens, displs, MPI_CHAR,
                       MPI_COMM_WORLD);
    else
        MPI_Gatherv(send, mine, MPI_CHAR, *out, *lens, displs, MPI_CHAR, 0,
                    MPI_COMM_WORLD);
    free(displs);
    free(send);
    return *out ? XT_OK : XT_ERR_NOMEM;
}

/* Writes "has task loss" and the network of the incumbent. */
static char *incumbent_text(const xt_enum_search *S, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    fprintf(f, "%d %ld ", S->has_best, S->best_task);
    xt_rat_print(f, S->best);
    fputc('\n', f);
    if (S->has_best)
        xt_network_write(f, S->best_net);
    fclose(f);
    return buf;
}

/* Reads a text of incumbent_text; returns 0 on success. */
static int parse_incumbent(const char *text, int *has, long *task,
                           mpq_t loss, xt_network_t net)
{
    char word[4096];
    const char *line_end = strchr(text, '\n');
    if (!line_end || sscanf(text, "%d %ld %4095s", has, task, word) != 3 ||
        xt_rat_parse(loss, word))
        return -1;
    if (!*has)
        return 0;
    xt_error_t err;
    return xt_network_read_string(net, line_end + 1, "incumbent", &err) ==
                   XT_OK
               ? 0
               : -1;
}

/* Keeps the best of the gathered incumbents in S. */
static int adopt_best(xt_enum_search *S, const char *all, const int *lens)
{
    mpq_t loss;
    mpq_init(loss);
    xt_network_t net;
    xt_network_init(net);
    int rc = XT_OK;
    size_t at = 0;
    for (int r = 0; r < mpi_size && rc == XT_OK; r++) {
        int has;
        long task;
        if (parse_incumbent(all + at, &has, &task, loss, net)) {
            rc = XT_ERR_INTERNAL;
            break;
        }
        at += (size_t)lens[r];
        if (!has)
            continue;
        int cmp = S->has_best ? mpq_cmp(loss, S->best) : -1;
        if (cmp < 0 || (cmp == 0 && task < S->best_task)) {
            mpq_set(S->best, loss);
            S->best_task = task;
            S->has_best = 1;
            xt_network_set(S->best_net, net);
        }
    }
    xt_network_clear(net);
    mpq_clear(loss);
    return rc;
}
#endif

int xt_enum_mpi_merge(xt_enum_search *S, int rc, xt_error_t *err)
{
#ifdef XT_HAVE_MPI
    if (mpi_size <= 1)
        return rc;
    int local[4] = {atomic_load(&S->stop), S->res->interrupted,
                    S->res->time_limit_reached, rc};
    int global[4];
    MPI_Allreduce(local, global, 4, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    atomic_store(&S->stop, global[0]);
    S->res->interrupted = global[1];
    S->res->time_limit_reached = global[2];
    if (global[3] != XT_OK) {
        if (rc == XT_OK)
            xt_error_set(err, "another MPI process failed");
        return global[3];
    }
    size_t len = 0;
    char *mine = incumbent_text(S, &len), *all = NULL;
    int *lens = NULL;
    rc = mine ? gather_texts(mine, len, 1, &all, &lens) : XT_ERR_NOMEM;
    if (rc == XT_OK)
        rc = adopt_best(S, all, lens);
    if (rc != XT_OK)
        xt_error_set(err, "exchanging the incumbent between MPI processes "
                     "failed");
    free(mine);
    free(all);
    free(lens);
    xt_enum_search_set_limit(S);
    return rc;
#else
    (void)S;
    (void)err;
    return rc;
#endif
}

void xt_enum_mpi_sum(long *values, int count)
{
#ifdef XT_HAVE_MPI
    if (mpi_size > 1)
        MPI_Allreduce(MPI_IN_PLACE, values, count, MPI_LONG, MPI_SUM,
                      MPI_COMM_WORLD);
#else
    (void)values;
    (void)count;
#endif
}

int xt_enum_mpi_gather(const char *text, size_t len, char **out,
                       size_t *out_len)
{
#ifdef XT_HAVE_MPI
    int *lens = NULL;
    char *all = NULL;
    int rc = gather_texts(text, len, 0, &all, &lens);
    *out = NULL;
    *out_len = 0;
    if (rc == XT_OK && mpi_rank == 0) {
        /* Join the nonempty parts with ",\n": each is a list of entries
         * that may follow one another. */
        size_t total = 0, at = 0;
        for (int r = 0; r < mpi_size; r++)
            total += (size_t)lens[r] + 2;
        *out = malloc(total + 1);
        for (int r = 0; *out && r < mpi_size; r++) {
            size_t part = strlen(all + at);
            if (part) {
                if (*out_len) {
                    memcpy(*out + *out_len, ",\n", 2);
                    *out_len += 2;
                }
                memcpy(*out + *out_len, all + at, part);
                *out_len += part;
            }
            at += (size_t)lens[r];
        }
        if (!*out)
            rc = XT_ERR_NOMEM;
    }
    free(all);
    free(lens);
    return rc;
#else
    *out = malloc(len + 1);
    if (!*out)
        return XT_ERR_NOMEM;
    memcpy(*out, text, len);
    *out_len = len;
    return XT_OK;
#endif
}

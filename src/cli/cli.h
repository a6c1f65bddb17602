/* Shared pieces of the xtrain command: exit codes, option parsing, the
 * problem settings every command accepts, and loading instances. */
#ifndef XTRAIN_CLI_H
#define XTRAIN_CLI_H

#include <stdio.h>
#include <gmp.h>
#include "xtrain/instance.h"

/* Exit codes, documented in docs/cli.md. */
enum {
    XT_EXIT_OK = 0,       /* success: optimal, feasible, check passed */
    XT_EXIT_NO = 1,       /* a definite "no": infeasible, check failed */
    XT_EXIT_USAGE = 2,    /* bad command line or bad input file */
    XT_EXIT_UNKNOWN = 3,  /* limit reached or interrupted: no proof */
    XT_EXIT_INTERNAL = 4  /* a self-check failed: please report it */
};

/* One accepted option.  id > 0; short_name 0 when there is none. */
typedef struct {
    const char *name;
    char short_name;
    int takes_value;
    int id;
    const char *help;     /* "VALUE  what it sets" for --help */
} xt_cli_option;

/* Ids shared by all commands.  Command-specific ids start at 100. */
enum {
    XT_OPT_END = 0,
    XT_OPT_POSITIONAL = -1,
    XT_OPT_ERROR = -2,
    XT_OPT_HELP = 1,
    XT_OPT_VERBOSE,
    XT_OPT_QUIET,
    XT_OPT_JSON,
    XT_OPT_HIDDEN,
    XT_OPT_LOSS,
    XT_OPT_TARGET,
    XT_OPT_NO_TARGET,
    XT_OPT_OUTPUT_BIAS,
    XT_OPT_NO_OUTPUT_BIAS,
    XT_OPT_CONVEX,
    XT_OPT_ACTIVATION,
    XT_OPT_OUTPUTS,
    XT_OPT_FIRST_COMMAND = 100
};

typedef struct {
    const char *command;  /* for messages: "xtrain solve" */
    int argc;
    char **argv;
    int index;
    const char *value;    /* the option's value or the positional word */
    const char *short_cluster; /* rest of "-vv" being read */
    int only_positional;  /* after "--" */
} xt_cli_parser;

void xt_cli_parser_init(xt_cli_parser *p, const char *command, int argc,
                        char **argv);

/* Returns the next option id, XT_OPT_POSITIONAL, XT_OPT_END, or
 * XT_OPT_ERROR after printing one line to stderr.  opts ends with an entry
 * whose name is NULL; the shared options are not implied. */
int xt_cli_next(xt_cli_parser *p, const xt_cli_option *opts);

/* Prints usage, a description and the option table to stdout. */
void xt_cli_print_help(const char *usage, const char *description,
                       const xt_cli_option *opts);

/* Settings given on the command line; they override the instance file. */
typedef struct {
    int hidden;               /* 0: not given */
    int has_loss, has_activation, has_target, no_target;
    int output_bias;          /* -1 not given, 0 or 1 */
    int convex;               /* -1 not given, 0 or 1 */
    xt_loss loss;
    xt_activation activation;
    mpq_t target;
    int csv_outputs;          /* labels per row when reading CSV */
} xt_cli_settings;

void xt_cli_settings_init(xt_cli_settings *s);
void xt_cli_settings_clear(xt_cli_settings *s);

/* Handles a settings option (XT_OPT_HIDDEN ... XT_OPT_OUTPUTS).  Returns
 * 1 when id was a settings option, 0 when not, -1 on an invalid value
 * (message printed). */
int xt_cli_settings_option(xt_cli_settings *s, const char *command, int id,
                           const char *value);

/* Loads an instance file (text or CSV) and applies the overrides.  Prints
 * one line and returns XT_EXIT_USAGE on error (XT_EXIT_UNKNOWN when out
 * of memory), else XT_EXIT_OK. */
int xt_cli_load_instance(xt_instance_t inst, const char *path,
                         const xt_cli_settings *s);

/* Parses a nonnegative integer option value; prints an error and returns
 * -1 when it is not one or exceeds max. */
long xt_cli_parse_count(const char *command, const char *option,
                        const char *value, long max);

/* Parses seconds (a nonnegative decimal); -1 on error (printed). */
double xt_cli_parse_seconds(const char *command, const char *option,
                            const char *value);

/* Installs GMP allocation functions that turn a failed allocation into
 * one line on stderr (and with json a result object with status
 * "unknown" on stdout) and exit code 3, instead of GMP's abort.  With
 * mib > 0 it also limits the process to mib MiB: RLIMIT_AS (not under
 * AddressSanitizer), GMP's own memory, and Z3's memory_max_size.
 * Returns 0, or -1 after printing why the limit could not be set. */
int xt_cli_memory_limit(const char *command, long mib, int json);

/* Opens path for writing ("-" is stdout); prints an error on failure. */
FILE *xt_cli_open_output(const char *command, const char *path);

/* Closes a stream from xt_cli_open_output (flushes stdout).  A failed
 * write (a full disk, say) prints one line, is remembered for
 * xt_cli_finish and returns -1; else returns 0. */
int xt_cli_close_output(FILE *stream);

/* Returns the exit code of a command that would return rc: after a
 * failed write to a file or to stdout, XT_EXIT_USAGE instead of
 * XT_EXIT_OK, with one line on stderr. */
int xt_cli_finish(const char *command, int rc);

/* The option-table rows for the settings, to splice into a command's
 * table with XT_CLI_SETTINGS_OPTIONS. */
#define XT_CLI_SETTINGS_OPTIONS                                           \
    {"hidden", 'k', 1, XT_OPT_HIDDEN, "K       hidden neurons"},          \
    {"loss", 0, 1, XT_OPT_LOSS, "NAME    l1, l2, linf or zero-one"},      \
    {"target", 0, 1, XT_OPT_TARGET,                                       \
     "G       loss target gamma (decision problem)"},                     \
    {"no-target", 0, 0, XT_OPT_NO_TARGET,                                 \
     "        ignore the file's target (optimize)"},                      \
    {"output-bias", 0, 0, XT_OPT_OUTPUT_BIAS,                             \
     "        allow an output bias c"},                                   \
    {"no-output-bias", 0, 0, XT_OPT_NO_OUTPUT_BIAS,                       \
     "        no output bias"},                                           \
    {"convex", 0, 0, XT_OPT_CONVEX, "        all output weights +1"},     \
    {"activation", 0, 1, XT_OPT_ACTIVATION,                               \
     "NAME    relu, threshold or linear"},                                \
    {"outputs", 0, 1, XT_OPT_OUTPUTS,                                     \
     "M       label columns when reading CSV (default 1)"}

#define XT_CLI_COMMON_OPTIONS                                             \
    {"help", 'h', 0, XT_OPT_HELP, "        show this help"},              \
    {"verbose", 'v', 0, XT_OPT_VERBOSE,                                   \
     "        more detail (repeat for more)"},                            \
    {"quiet", 'q', 0, XT_OPT_QUIET, "        only the result"}

/* Subcommands.  Each returns an exit code. */
int xt_cmd_check(int argc, char **argv);
int xt_cmd_demo(int argc, char **argv);
int xt_cmd_solve(int argc, char **argv);
int xt_cmd_sgd(int argc, char **argv);
int xt_cmd_compare(int argc, char **argv);
int xt_cmd_gen(int argc, char **argv);
int xt_cmd_export(int argc, char **argv);
/* xtrain check for network files with root-obj weights (check_algebraic.c);
 * returns an exit code. */
int xt_check_algebraic_network(const xt_instance_t inst, const char *path,
                               int json);
int xt_cmd_draw(int argc, char **argv);
int xt_cmd_report(int argc, char **argv);
int xt_cmd_reduce(int argc, char **argv);
/* xtrain reduce etr-ami (cmd_reduce_etrami.c): whether the reduction named
 * on a reduce command line is etr-ami, and the command itself. */
int xt_cmd_reduce_is_etrami(int argc, char **argv);
int xt_cmd_reduce_etrami(int argc, char **argv);

#endif

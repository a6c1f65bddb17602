/* xtrain: exact training of small neural networks.  Dispatches to the
 * subcommands; each lives in its own cmd_*.c file. */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "xtrain/log.h"

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} xt_command;

static const xt_command commands[] = {
    {"solve", xt_cmd_solve, "exact global optimum, with a certificate"},
    {"check", xt_cmd_check, "verify a network or a certificate exactly"},
    {"sgd", xt_cmd_sgd, "numeric training (SGD, Adam) with exact losses"},
    {"compare", xt_cmd_compare, "exact optimum next to SGD restarts"},
    {"demo", xt_cmd_demo, "run the main job on a bundled instance"},
    {"gen", xt_cmd_gen, "generate instances with planted answers"},
    {"draw", xt_cmd_draw, "SVG picture of an instance and networks"},
    {"report", xt_cmd_report, "HTML page: optimum, certificate, SGD, pictures"},
    {"reduce", xt_cmd_reduce, "run and verify hardness reductions"},
    {"export", xt_cmd_export, "SMT-LIB or CPLEX LP files for other solvers"},
    {NULL, NULL, NULL}
};

static void print_usage(FILE *stream)
{
    fprintf(stream,
            "usage: xtrain COMMAND [OPTIONS] [FILES]\n"
            "\n"
            "Exact training of small two-layer neural networks, with\n"
            "certificates that `xtrain check` verifies.\n"
            "\n"
            "commands:\n");
    for (const xt_command *c = commands; c->name; c++)
        fprintf(stream, "  %-9s %s\n", c->name, c->summary);
    fprintf(stream,
            "\n"
            "`xtrain COMMAND --help` describes a command.  Exit codes: 0 yes\n"
            "or success, 1 no (infeasible, check failed), 2 bad input,\n"
            "3 no answer (limit or interrupt), 4 internal error.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return XT_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h") ||
        !strcmp(name, "help")) {
        print_usage(stdout);
        return xt_cli_finish("xtrain", XT_EXIT_OK);
    }
    if (!strcmp(name, "--version") || !strcmp(name, "version")) {
        printf("xtrain %s\n", XT_VERSION);
        return xt_cli_finish("xtrain", XT_EXIT_OK);
    }
    for (const xt_command *c = commands; c->name; c++)
        if (!strcmp(name, c->name)) {
            xt_interrupt_install();
            char command[64];
            snprintf(command, sizeof command, "xtrain %s", c->name);
            return xt_cli_finish(command, c->run(argc - 1, argv + 1));
        }
    fprintf(stderr, "xtrain: unknown command \"%s\" (see xtrain --help)\n",
            name);
    return XT_EXIT_USAGE;
}

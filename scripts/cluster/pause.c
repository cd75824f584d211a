/* The pod sandbox ("pause") process of the local cluster: holds the pod's namespaces, reaps zombies,
 * exits on SIGTERM/SIGINT. Built static by scripts/cluster/cluster.sh (registry.k8s.io is not reachable). */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void quit(int sig) { (void)sig; _exit(0); }
static void reap(int sig) { (void)sig; while (waitpid(-1, 0, WNOHANG) > 0) {} }

int main(void) {
  signal(SIGTERM, quit);
  signal(SIGINT, quit);
  signal(SIGCHLD, reap);
  for (;;) pause();
}

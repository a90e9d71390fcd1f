/* Victim for record (issue 20): prints the credentials it runs with, then
 * tries what only its privileges allow, so that a run that was given them
 * and one that was not differ in their output and system calls.
 *
 *   creds_victim    prints "euid=N egid=N capprm=HEX raw=ok|ERRNO-NAME"
 *
 * A raw ICMP socket needs CAP_NET_RAW (root, or a file capability). */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	unsigned long long prm = 0;
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof(line), f))
		sscanf(line, "CapPrm: %llx", &prm);
	if (f)
		fclose(f);
	int s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	printf("euid=%u egid=%u capprm=%llx raw=%s\n", (unsigned)geteuid(), (unsigned)getegid(), prm,
	       s >= 0 ? "ok" : strerrorname_np(errno));
	return 0;
}

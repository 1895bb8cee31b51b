package mailtest

// DSN is a delivery-status notification (RFC 3464) as a mail server,
// here shaped like Postfix's, sends one back to returnPath: the message to
// rcpt failed (action "failed") or is late ("delayed") with status, like
// 5.1.1, and the remote server's diagnostic.
func DSN(returnPath, rcpt, action, status, diagnostic string) []byte {
	return []byte("From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\r\n" +
		"To: " + returnPath + "\r\n" +
		"Subject: Undelivered Mail Returned to Sender\r\n" +
		"Auto-Submitted: auto-replied\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"B1\"\r\n" +
		"\r\n" +
		"--B1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nI'm sorry to have to inform you that your message could not be delivered.\r\n\r\n" +
		"--B1\r\nContent-Type: message/delivery-status\r\n\r\n" +
		"Reporting-MTA: dns; mx.example.net\r\nArrival-Date: Sun, 6 Dec 2026 07:00:00 +0000\r\n\r\n" +
		"Final-Recipient: rfc822; " + rcpt + "\r\nOriginal-Recipient: rfc822;" + rcpt + "\r\nAction: " + action + "\r\nStatus: " + status + "\r\n" +
		"Diagnostic-Code: smtp; " + diagnostic + "\r\n\r\n" +
		"--B1\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: news@gazette.example\r\nSubject: Issue one\r\n\r\n" +
		"--B1--\r\n")
}

"""The secretariat's pages: setting up and running an assembly without the admin.

``base`` holds the permission gate every page goes through; ``setup`` the
assembly, its agenda items, rooms and seating; ``people`` delegates' sign-in
links, badges, check-ins and the audit log.
"""
